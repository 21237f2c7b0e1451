using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Tests.TestSupport;

public static class ServiceProviderExtensions
{
    /// <summary>The actor of an existing person, by email (demo logins).</summary>
    public static async Task<Actor?> GetUserActorAsync(this IServiceProvider services, string email)
    {
        await using var scope = services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
        return user is null ? null : await scope.ServiceProvider.GetRequiredService<UserDirectory>().ActorForAsync(user.Id);
    }
}
