using System.Diagnostics;
using System.Globalization;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.Seed;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Web.Commands;

/// <summary>
/// <c>dotnet run --project ServiceAccounts.Web -- audit verify [--entity HANDLE]</c>: walks the audit chains of the
/// configured database and exits non-zero at a break, naming the first bad record.
/// <c>audit generate --entity HANDLE --account HANDLE --count N [--days N] [--seed N]</c>: appends N realistic,
/// correctly chained records to one service account's history (a fixture for performance work).
/// </summary>
public static class AuditCommand
{
    private const string Usage = "usage: audit verify [--entity HANDLE]\n"
        + "       audit generate --entity HANDLE --account HANDLE --count N [--days N] [--seed N]";

    public static bool Matches(string[] args) => args is ["audit", ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        if (args is ["audit", "generate", .. var options])
        {
            return await GenerateAsync(services, options, output);
        }
        if (args is not ["audit", "verify", .. var rest] || rest is not ([] or ["--entity", _]))
        {
            await output.WriteLineAsync(Usage);
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

    private static async Task<int> GenerateAsync(IServiceProvider services, string[] options, TextWriter output)
    {
        string? entity = null, account = null;
        int? count = null;
        var days = (int)AuditHistoryOptions.DefaultSpan.TotalDays;
        var seed = new AuditHistoryOptions(1).Seed;
        for (var i = 0; i < options.Length; i += 2)
        {
            if (i + 1 >= options.Length)
            {
                await output.WriteLineAsync(Usage);
                return 2;
            }
            var value = options[i + 1];
            var number = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            switch (options[i])
            {
                case "--entity": entity = value; break;
                case "--account": account = value; break;
                case "--count" when number > 0: count = number; break;
                case "--days" when number > 0: days = number.Value; break;
                case "--seed" when number is not null: seed = number.Value; break;
                default:
                    await output.WriteLineAsync(Usage);
                    return 2;
            }
        }
        if (entity is null || account is null || count is null)
        {
            await output.WriteLineAsync(Usage);
            return 2;
        }
        var generator = ActivatorUtilities.CreateInstance<AuditHistoryGenerator>(services);
        var request = new AuditHistoryOptions(count.Value, TimeSpan.FromDays(days), seed);
        var watch = Stopwatch.StartNew();
        // A bare handle names an org first, then a tenant, as `audit verify --entity` does.
        var result = await generator.GenerateAsync(Actor.System, EntityRef.Org(entity), account, request);
        if (result.Status == ResultStatus.NotFound)
        {
            result = await generator.GenerateAsync(Actor.System, EntityRef.Tenant(entity), account, request);
        }
        if (!result.IsOk)
        {
            await output.WriteLineAsync(result.Message);
            return 2;
        }
        var history = result.Value!;
        var seconds = watch.Elapsed.TotalSeconds;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"appended {history.Appended:N0} records for {account} in {entity} (chain #{history.FirstSequence}..#{history.LastSequence}, {history.From:yyyy-MM-dd} to {history.To:yyyy-MM-dd}) in {seconds:F1} s ({history.Appended / seconds:N0} records/s)"));
        return 0;
    }
}
