using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Web.Commands;

/// <summary>
/// <c>dotnet run --project ServiceAccounts.Web -- audit verify [--entity HANDLE]</c>: walks the audit chains of the
/// configured database and exits non-zero at a break, naming the first bad record.
/// </summary>
public static class AuditCommand
{
    public static bool Matches(string[] args) => args is ["audit", ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        if (args is not ["audit", "verify", .. var rest] || rest is not ([] or ["--entity", _]))
        {
            await output.WriteLineAsync("usage: audit verify [--entity HANDLE]");
            return 2;
        }
        var handle = rest is ["--entity", var h] ? h : null;
        var result = await services.GetRequiredService<AuditLog>().VerifyAllAsync(Actor.System, handle);
        if (!result.IsOk)
        {
            await output.WriteLineAsync(result.Message);
            return 2;
        }
        var broken = 0;
        foreach (var (entity, verification) in result.Value!)
        {
            if (verification.FirstBreak is { } first)
            {
                broken++;
                await output.WriteLineAsync($"BROKEN  {entity}: {first.Problem}");
            }
            else
            {
                await output.WriteLineAsync($"ok      {entity}: verified through #{verification.RecordsChecked}");
            }
        }
        return broken == 0 ? 0 : 1;
    }
}
