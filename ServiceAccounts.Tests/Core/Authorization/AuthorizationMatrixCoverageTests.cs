using System.Reflection;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Support;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;

namespace ServiceAccounts.Tests.Core.Authorization;

/// <summary>
/// Keeps the matrix whole: every public method of every Core service that takes an actor has theories
/// named <c>{Method}_…</c> whose cases, together, cover all seven kinds of caller. A new method, or a
/// forgotten caller, fails here.
/// </summary>
public sealed class AuthorizationMatrixCoverageTests
{
    public static TheoryData<Type, Type> ServicesAndTheirTests => new()
    {
        { typeof(TenancyService), typeof(TenancyServiceAuthorizationTests) },
        { typeof(ServiceAccountService), typeof(ServiceAccountServiceAuthorizationTests) },
        { typeof(TokenService), typeof(TokenServiceAuthorizationTests) },
        { typeof(AuditLog), typeof(AuditLogAuthorizationTests) },
        { typeof(SupportLookup), typeof(SupportLookupAuthorizationTests) },
    };

    [Theory]
    [MemberData(nameof(ServicesAndTheirTests))]
    public void PublicMethods_EachService_CoverAllSevenCallers(Type service, Type tests)
    {
        var methods = service.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(ServiceAccounts.Core.Security.Actor)))
            .Select(m => m.Name)
            .Distinct()
            .ToList();

        var missing = methods
            .Select(name => (name, covered: CoveredCallers(tests, name)))
            .Where(m => !Enum.GetValues<Who>().All(m.covered.Contains))
            .Select(m => $"{m.name}: missing {string.Join(", ", Enum.GetValues<Who>().Except(m.covered))}")
            .ToList();

        methods.Should().NotBeEmpty();
        missing.Should().BeEmpty();
    }

    private static HashSet<Who> CoveredCallers(Type tests, string method) =>
        tests.GetMethods()
            .Where(m => m.Name.StartsWith(method + "_", StringComparison.Ordinal) && m.GetCustomAttributes<TheoryAttribute>().Any())
            .SelectMany(m => m.GetCustomAttributes<InlineDataAttribute>())
            .SelectMany(a => a.GetData(null!))
            .Select(row => row[0])
            .OfType<Who>()
            .ToHashSet();
}
