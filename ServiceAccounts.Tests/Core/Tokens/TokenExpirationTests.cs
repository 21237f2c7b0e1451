using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Tests.Core.Audit;
using ServiceAccounts.Tests.TestSupport;

namespace ServiceAccounts.Tests.Core.Tokens;

/// <summary>Rule 3: Maximum Token Expiration of an Enterprise tenant, enforced in Core.</summary>
public sealed class TokenExpirationTests
{
    private const int MaxDays = 90;

    [Fact]
    public async Task CreateAsync_NeverUnderMaximum_IsInvalidNamingTheMaximum()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, MaxDays);

        // Act
        var result = await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("forever", TokenExpiration.Never));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("expiration").WhoseValue.Should().Contain("90 days");
    }

    [Fact]
    public async Task CreateAsync_DurationOneDayOverMaximum_IsInvalidNamingTheMaximum()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, MaxDays);

        // Act
        var result = await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("too long", TokenExpiration.AfterDays(MaxDays + 1)));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("expiration").WhoseValue.Should().Contain("90 days");
    }

    [Fact]
    public async Task CreateAsync_DurationEqualToMaximum_ExpiresThatLongFromNow()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, MaxDays);

        // Act
        var result = await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("just right", TokenExpiration.AfterDays(MaxDays)));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Token.ExpiresAt.Should().Be(host.Clock.UtcNow.AddDays(MaxDays));
    }

    [Fact]
    public async Task CreateAsync_DateMaximumDaysAfterToday_ExpiresAtThatDate()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, MaxDays);
        var date = DateOnly.FromDateTime(host.Clock.UtcNow).AddDays(MaxDays);

        // Act
        var result = await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("on a date", TokenExpiration.On(date)));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Token.ExpiresAt.Should().Be(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
    }

    [Fact]
    public async Task CreateAsync_DateOneDayBeyondMaximum_IsInvalid()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, MaxDays);
        var date = DateOnly.FromDateTime(host.Clock.UtcNow).AddDays(MaxDays + 1);

        // Act
        var result = await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("on a date", TokenExpiration.On(date)));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("expiration").WhoseValue.Should().Contain("90 days");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-400)]
    public async Task CreateAsync_DateTodayOrInThePast_IsInvalid(int daysFromToday)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "team-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");
        var date = DateOnly.FromDateTime(host.Clock.UtcNow).AddDays(daysFromToday);

        // Act
        var result = await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("stale", TokenExpiration.On(date)));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("expiration").WhoseValue.Should().Contain("after today");
    }

    [Theory]
    [InlineData(59)]
    [InlineData(0)]
    [InlineData(-60)]
    public async Task CreateAsync_DurationUnderOneHour_IsInvalid(int minutes)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "team-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");

        // Act
        var result = await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("brief", TokenExpiration.After(TimeSpan.FromMinutes(minutes))));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("expiration").WhoseValue.Should().Contain("one hour");
    }

    [Fact]
    public async Task CreateAsync_TeamPlanOrgWithNever_CreatesTokenThatNeverExpires()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "team-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");

        // Act
        var result = await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("forever", TokenExpiration.Never));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Token.ExpiresAt.Should().BeNull();
    }

    [Fact]
    public async Task CreateAsync_TeamPlanOrgWithOneYear_ExpiresInOneYear()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var org = await host.OrgAsync(owner, "team-org");
        var account = await host.AccountAsync(owner, org, "Deploy Bot");

        // Act
        var result = await host.Tokens.CreateAsync(owner, org, account.Handle, new NewToken("a year", TokenExpiration.AfterDays(365)));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Token.ExpiresAt.Should().Be(host.Clock.UtcNow.AddDays(365));
    }

    [Fact]
    public async Task CreateAsync_EnterpriseTenantWithoutMaximum_AllowsNever()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, maxDays: null);

        // Act
        var result = await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("forever", TokenExpiration.Never));

        // Assert
        result.IsOk.Should().BeTrue(result.ToString());
        result.Value!.Token.ExpiresAt.Should().BeNull();
    }

    [Theory]
    [InlineData("never")]
    [InlineData("91 days")]
    [InlineData("date 91 days away")]
    [InlineData("yesterday")]
    [InlineData("30 minutes")]
    public async Task CreateAsync_RefusedExpiration_SavesNothing(string expiration)
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, MaxDays);
        var today = DateOnly.FromDateTime(host.Clock.UtcNow);
        var requested = expiration switch
        {
            "never" => TokenExpiration.Never,
            "91 days" => TokenExpiration.AfterDays(91),
            "date 91 days away" => TokenExpiration.On(today.AddDays(91)),
            "yesterday" => TokenExpiration.On(today.AddDays(-1)),
            _ => TokenExpiration.After(TimeSpan.FromMinutes(30)),
        };
        var before = await DatabaseSnapshot.TakeAsync(host);

        // Act
        var result = await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("refused", requested));

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        (await DatabaseSnapshot.TakeAsync(host)).Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task UpdateAuthenticationSettingsAsync_MaximumSetAfterTokensExist_LeavesTheirExpirationsAlone()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var (owner, tenant, handle) = await EnterpriseAccountAsync(host, maxDays: null);
        var never = CoreHost.Must(await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("forever", TokenExpiration.Never)));
        var yearLong = CoreHost.Must(await host.Tokens.CreateAsync(owner, tenant, handle, new NewToken("a year", TokenExpiration.AfterDays(365))));
        var settings = CoreHost.Must(await host.Tenancy.GetAuthenticationSettingsAsync(owner, tenant.Handle));

        // Act
        var updated = await host.Tenancy.UpdateAuthenticationSettingsAsync(owner, tenant.Handle, MaxDays, settings.SessionTimeoutDays, settings.Version);

        // Assert
        updated.IsOk.Should().BeTrue(updated.ToString());
        updated.Value!.MaxTokenExpirationDays.Should().Be(MaxDays);
        await using var db = host.NewContext();
        var stored = await db.ApiTokens.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.ExpiresAt);
        stored.Should().BeEquivalentTo(new Dictionary<string, DateTime?>
        {
            [never.Token.Id] = null,
            [yearLong.Token.Id] = yearLong.Token.ExpiresAt,
        });
    }

    [Fact]
    public async Task UpdateAuthenticationSettingsAsync_MaximumBelowSessionTimeout_IsInvalidAndChangesNothing()
    {
        // Arrange
        await using var host = await CoreHost.StartAsync();
        var owner = await host.UserAsync("ada");
        var tenant = await host.EnterpriseTenantAsync(owner, "enterprise", MaxDays);
        var before = CoreHost.Must(await host.Tenancy.GetAuthenticationSettingsAsync(owner, tenant.Handle));

        // Act
        var result = await host.Tenancy.UpdateAuthenticationSettingsAsync(owner, tenant.Handle, before.SessionTimeoutDays - 1, before.SessionTimeoutDays, before.Version);

        // Assert
        result.Status.Should().Be(ResultStatus.Invalid);
        result.Errors.Should().ContainKey("maxTokenExpirationDays").WhoseValue.Should().Contain("Session Timeout");
        CoreHost.Must(await host.Tenancy.GetAuthenticationSettingsAsync(owner, tenant.Handle)).Should().Be(before);
    }

    private static async Task<(Actor Owner, EntityRef Tenant, string AccountHandle)> EnterpriseAccountAsync(CoreHost host, int? maxDays)
    {
        var owner = await host.UserAsync("ada");
        var tenant = await host.EnterpriseTenantAsync(owner, "enterprise", maxDays);
        var account = await host.AccountAsync(owner, tenant, "Metrics Exporter");
        return (owner, tenant, account.Handle);
    }
}
