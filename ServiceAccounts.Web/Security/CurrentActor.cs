using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Web.Security;

/// <summary>The actor a console page passes to Core: the signed-in person, seen from their browser.</summary>
public interface ICurrentActor
{
    /// <summary>The signed-in person (support staff as <see cref="ActorType.Support"/>), or <see cref="Actor.Anonymous"/>.</summary>
    Task<Actor> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>Scoped: one per request, or one per circuit in interactive pages.</summary>
public sealed class CurrentActor(AuthenticationStateProvider authentication, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity) : ICurrentActor
{
    private ClientInfo? client;

    /// <summary>Called once by the root component with the request that opened the page.</summary>
    public void UseClient(ClientInfo? info) => client ??= info;

    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return await ForAsync(state.User, cancellationToken);
    }

    /// <summary>
    /// The actor of <paramref name="user"/>, from the client given to <see cref="UseClient"/>: for plain endpoints of the
    /// console (the audit exports), where the principal comes from the request rather than from a component's state.
    /// </summary>
    public async Task<Actor> ForAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        var userId = user.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        if (userId is null)
        {
            return Actor.Anonymous;
        }
        // UserDirectory holds a DbContext: a scope of its own keeps that short-lived inside a circuit that lives for hours.
        // The role is read every time, so a person made support staff (or no longer) acts as such at once.
        await using var scope = scopes.CreateAsyncScope();
        var actor = await scope.ServiceProvider.GetRequiredService<UserDirectory>().ActorForAsync(userId, cancellationToken);
        return (actor ?? Actor.Anonymous).From(client?.Ip, client?.UserAgent);
    }
}
