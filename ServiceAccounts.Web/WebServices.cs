using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration.Json;
using MudBlazor;
using MudBlazor.Services;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Web.Components;
using ServiceAccounts.Web.Components.Account;
using ServiceAccounts.Web.Export;
using ServiceAccounts.Web.Health;
using ServiceAccounts.Web.Security;

namespace ServiceAccounts.Web;

/// <summary>The console's wiring: configuration, services and the HTTP pipeline around Core.</summary>
public static class WebServices
{
    public const string OperatorSettingsFile = "appsettings.json";
    private const string ReadyTag = "ready";

    /// <summary>The largest message a browser may send the circuit (see AddWebServices).</summary>
    public const int MaximumCircuitMessageBytes = 512 * 1024;

    /// <summary>
    /// The repository's appsettings.json (copied next to the app) as the bottom layer of configuration, so
    /// appsettings.{Environment}.json, user secrets, environment variables and the command line all override it,
    /// wherever the app is started from.
    /// </summary>
    public static IConfigurationBuilder AddOperatorSettings(this IConfigurationBuilder configuration)
    {
        var source = new JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, OperatorSettingsFile),
            Optional = true,
            ReloadOnChange = true,
        };
        source.ResolveFileProvider();
        configuration.Sources.Insert(0, source);
        return configuration;
    }

    public static IServiceCollection AddWebServices(this IServiceCollection services)
    {
        // The state a page persists from prerendering (an Audit Log page of 25 records with their user agents and
        // before/after data) reaches the circuit in one message from the browser: 32 KB, SignalR's default, is too
        // little for a page of long records, and the circuit would fail to start. A full page stays well under 512 KB.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(hub => hub.MaximumReceiveMessageSize = MaximumCircuitMessageBytes);
        services.AddMudServices(mud => mud.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie => cookie.Events.OnValidatePrincipal = ConsoleSession.ValidateAsync);
        // Core registers the user store; signing in to the console is the web's part.
        new IdentityBuilder(typeof(AppUser), typeof(IdentityRole), services).AddSignInManager().AddDefaultTokenProviders();

        services.AddScoped<CurrentActor>();
        services.AddScoped<ICurrentActor>(provider => provider.GetRequiredService<CurrentActor>());

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);
        return services;
    }

    public static WebApplication MapWebEndpoints(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
            app.UseHsts();
        }
        // No HTTPS redirection: the app listens on plain HTTP by default and TLS, where used, ends at a proxy.
        // The console shows its not-found page; the API answers problem details (never a console page).
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"),
            console => console.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        // Routing after the status code pages, so that a re-executed request (an unknown address → /not-found)
        // is routed again and the not-found page is rendered, not an empty 404.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapAuditExport();

        // Liveness never touches the database; readiness runs a query through it.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
