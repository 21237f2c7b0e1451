using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;
using ServiceAccounts.Core.Tokens;
using ServiceAccounts.Web.Security;

namespace ServiceAccounts.Tests.TestSupport;

/// <summary>
/// bUnit for the console's components: MudBlazor's services and providers, the real Core services over a
/// fresh SQLite file with the demo data, and a signed-in person chosen by the test (<see cref="SignInAsAsync"/>).
/// Disposed asynchronously, as MudBlazor's components need.
/// </summary>
public abstract class ConsoleTestContext : BunitContext, IAsyncLifetime
{
    private readonly TestActor currentActor = new();

    protected CoreHost Core { get; private set; } = null!;

    protected Actor Actor => currentActor.Actor;

    public virtual async Task InitializeAsync()
    {
        Core = await CoreHost.StartAsync(demo: true);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Core.Tenancy);
        Services.AddSingleton(Core.Accounts);
        Services.AddSingleton(Core.Tokens);
        Services.AddSingleton(Core.Audit);
        Services.AddSingleton<TimeProvider>(Core.Clock);
        Services.AddSingleton<ICurrentActor>(currentActor);
    }

    /// <summary>Acts as a demo login (owner@, member@ or support@example.com) or any registered person.</summary>
    protected async Task<Actor> SignInAsAsync(string email)
    {
        var actor = await Core.Services.GetUserActorAsync(email) ?? throw new InvalidOperationException($"No user {email}.");
        currentActor.Actor = actor;
        var authorization = AddAuthorization();
        authorization.SetAuthorized(actor.Handle!);
        if (actor.Type == ActorType.Support)
        {
            authorization.SetRoles(AppUser.SupportRole);
        }
        return actor;
    }

    /// <summary>Renders <typeparamref name="T"/> below MudBlazor's popover and dialog providers, as the layout does.</summary>
    protected IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        PopoverProvider = Render<MudPopoverProvider>();
        DialogProvider = Render<MudDialogProvider>();
        SnackbarProvider = Render<MudSnackbarProvider>();
        return Render(parameters);
    }

    /// <summary>Where menus and selects open, after <see cref="RenderWithProviders{T}"/>.</summary>
    protected IRenderedComponent<MudPopoverProvider> PopoverProvider { get; private set; } = null!;

    /// <summary>Where dialogs open, after <see cref="RenderWithProviders{T}"/>.</summary>
    protected IRenderedComponent<MudDialogProvider> DialogProvider { get; private set; } = null!;

    /// <summary>Where snackbars appear, after <see cref="RenderWithProviders{T}"/>.</summary>
    protected IRenderedComponent<MudSnackbarProvider> SnackbarProvider { get; private set; } = null!;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Core.DisposeAsync();
    }

    private sealed class TestActor : ICurrentActor
    {
        public Actor Actor { get; set; } = Actor.Anonymous;

        public Task<Actor> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Actor);
    }
}
