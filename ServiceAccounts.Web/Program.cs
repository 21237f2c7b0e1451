using ServiceAccounts.Core;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Web;
using ServiceAccounts.Web.Api;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddOperatorSettings();
// Serve MudBlazor's and the app's assets from the build output in any environment (a no-op once published).
builder.WebHost.UseStaticWebAssets();
builder.Services.AddServiceAccountsCore(builder.Configuration);
builder.Services.AddWebServices();
builder.Services.AddServiceAccountsApi();

var app = builder.Build();
if (ServiceAccounts.Web.Commands.AuditCommand.Matches(args))
{
    // An operator's command against the configured database, not a server start.
    return await ServiceAccounts.Web.Commands.AuditCommand.RunAsync(app.Services, args, Console.Out);
}
await using (var scope = app.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync();
}
app.MapWebEndpoints();
app.MapServiceAccountsApi();
app.Run();
return 0;

public partial class Program;
