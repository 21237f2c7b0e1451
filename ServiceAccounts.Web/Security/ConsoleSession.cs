using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Web.Security;

/// <summary>
/// A console sign-in ends after the Console Session Timeout of the person's tenants (the shortest one), read
/// at every validation so a tenant owner's change applies to sessions already open.
/// </summary>
public static class ConsoleSession
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        // Identity's own check first: a changed security stamp (new password, …) ends the session too.
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId || context.Properties.IssuedUtc is not { } issued)
        {
            return;
        }
        var services = context.HttpContext.RequestServices;
        var timeout = await services.GetRequiredService<UserDirectory>().SessionTimeoutAsync(userId, context.HttpContext.RequestAborted);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (now - issued > timeout)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
