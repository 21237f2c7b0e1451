using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Audit;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;
using ServiceAccounts.Core.ServiceAccounts;
using ServiceAccounts.Core.Tenancy;

namespace ServiceAccounts.Core.Seed;

/// <summary>How much history to make, over which period, and from which random seed.</summary>
public sealed record AuditHistoryOptions(int Count, TimeSpan? Span = null, int Seed = 20261204)
{
    public const int MaxCount = 50_000_000;
    public static readonly TimeSpan DefaultSpan = TimeSpan.FromDays(365);
}

/// <summary>What was appended: how many records, where in the chain, over which period.</summary>
public sealed record GeneratedHistory(string EntityId, string AccountId, int Appended, long FirstSequence, long LastSequence, DateTime From, DateTime To);

/// <summary>
/// Appends a large, realistic audit history for one service account (a fixture for performance work and
/// demos): mostly api.request records made with the account's tokens, some token and settings changes by the
/// entity's owners, failed authentications and a few support views, spread evenly over a period ending now.
/// The records are sealed onto the billing entity's chain exactly as every other write seals them (sequence,
/// previous hash, hash, chain head), so the chain still verifies. Written through <see cref="AuditBatchWriter"/>:
/// big transactions of prepared multi-row INSERTs, so a million records take seconds, not hours.
/// </summary>
/// <remarks>
/// The records go at the end of the chain whatever their times: history generated over a year lands after
/// records written last week, as a clock that was set back would leave it. Nothing else changes (tokens'
/// last use, the account's last activity); operators only (<see cref="Actor.System"/>).
/// </remarks>
public sealed class AuditHistoryGenerator(IDbContextFactory<AppDbContext> factory, TimeProvider clock)
{
    /// <summary>Records per transaction: large enough that commits cost nothing, small enough to hold in memory.</summary>
    private const int RecordsPerTransaction = 10_000;

    /// <summary>Few rows per INSERT: at this volume parameter binding, not statement count, is what costs.</summary>
    private const int RowsPerInsert = 4;

    public async Task<Result<GeneratedHistory>> GenerateAsync(Actor actor, EntityRef entityRef, string accountKey, AuditHistoryOptions options, CancellationToken cancellationToken = default)
    {
        if (actor.Type != ActorType.System)
        {
            return Result.Forbidden("Only operators (the system actor) can generate audit history.");
        }
        if (options.Count is < 1 or > AuditHistoryOptions.MaxCount)
        {
            return Result.Invalid("count", $"Count must be between 1 and {AuditHistoryOptions.MaxCount:N0}.");
        }
        var span = options.Span ?? AuditHistoryOptions.DefaultSpan;
        if (span <= TimeSpan.Zero)
        {
            return Result.Invalid("span", "The period must be longer than zero.");
        }

        await using var context = await factory.CreateDbContextAsync(cancellationToken);
        context.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        var loaded = await ServiceAccountAccess.LoadAsync(context, actor, entityRef, accountKey, AccountOperation.Read, cancellationToken);
        if (!loaded.IsOk)
        {
            return loaded.AsFailure();
        }
        var account = loaded.Value!.Account;
        var cast = await CastAsync(context, account, options.Seed, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var from = now - span;
        var random = new Random(options.Seed);
        var batch = new List<AuditRecord>(Math.Min(options.Count, RecordsPerTransaction));
        long? firstSequence = null;
        long lastSequence = 0;
        DateTime? firstAt = null;
        var lastAt = from;
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            for (var i = 0; i < options.Count; i++)
            {
                // Evenly spread, jittered within each record's own slot, so times never go backwards.
                var at = from + span * ((i + random.NextDouble()) / options.Count);
                at = new DateTime(at.Ticks - at.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
                firstAt ??= at;
                lastAt = at;
                batch.Add(cast.Next(random, account.BillingEntityId, at));
                if (batch.Count == RecordsPerTransaction || i == options.Count - 1)
                {
                    await AuditBatchWriter.AppendAsync(context, batch, cancellationToken, RowsPerInsert);
                    firstSequence ??= batch[0].Sequence;
                    lastSequence = batch[^1].Sequence;
                    batch.Clear();
                }
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
        return Result.Ok(new GeneratedHistory(account.BillingEntityId, account.Id, options.Count, firstSequence!.Value, lastSequence, firstAt!.Value, lastAt));
    }

    /// <summary>Who appears in the history: the account and its tokens, the entity's owners, support staff.</summary>
    private static async Task<Cast> CastAsync(AppDbContext context, ServiceAccount account, int seed, CancellationToken cancellationToken)
    {
        var tokens = await context.ApiTokens.Where(t => t.ServiceAccountId == account.Id).OrderBy(t => t.Slot).Select(t => t.Id).ToListAsync(cancellationToken);
        // An account with fewer than two tokens today had others before: their ids appear in the older history.
        var random = new Random(seed);
        while (tokens.Count < 2)
        {
            tokens.Add("t_" + new string(Enumerable.Range(0, 20).Select(_ => "0123456789abcdefghijklmnopqrstuv"[random.Next(32)]).ToArray()));
        }
        var owners = await (
            from m in context.Memberships
            join u in context.Users on m.UserId equals u.Id
            where m.EntityId == account.BillingEntityId && m.Role == Role.Owner
            orderby u.Handle
            select new { u.Id, u.Handle, u.DisplayName }).ToListAsync(cancellationToken);
        var support = await (
            from ur in context.UserRoles
            join r in context.Roles on ur.RoleId equals r.Id
            join u in context.Users on ur.UserId equals u.Id
            where r.Name == AppUser.SupportRole
            orderby u.Handle
            select new { u.Id, u.Handle, u.DisplayName }).ToListAsync(cancellationToken);
        return new Cast(
            account,
            tokens,
            owners.Count > 0 ? owners.Select(o => Actor.User(o.Id, o.Handle, o.DisplayName)).ToList() : [Actor.User("u_owner0000000000000000", "owner", "Owner")],
            support.Count > 0 ? support.Select(s => Actor.Support(s.Id, s.Handle, s.DisplayName)).ToList() : [Actor.Support("u_support00000000000000", "support", "Support")]);
    }

    /// <summary>Draws one plausible record after another.</summary>
    private sealed class Cast(ServiceAccount account, IReadOnlyList<string> tokens, IReadOnlyList<Actor> owners, IReadOnlyList<Actor> support)
    {
        private static readonly (string Ip, string Agent)[] Runners =
        [
            ("140.82.112.4", "GitHub-Actions/2.317 curl/8.5.0"), ("140.82.112.21", "GitHub-Actions/2.317 curl/8.5.0"),
            ("140.82.113.7", "GitHub-Actions/2.319 curl/8.5.0"), ("20.55.14.120", "GitHub-Actions/2.319 python-requests/2.32.3"),
            ("52.86.200.106", "Terraform/1.8.5 terraform-provider-serviceaccounts/0.4.1"), ("10.20.4.17", "metrics-exporter/3.2.0 (+go1.22)"),
            ("10.20.4.18", "curl/7.88.1"), ("192.0.2.44", "Go-http-client/2.0"),
        ];

        private static readonly (string Ip, string Agent)[] People =
        [
            ("198.51.100.23", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/17.5"),
            ("198.51.100.87", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            ("203.0.113.9", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"),
        ];

        private const string Sa = "/api/v0/{kind}/{handle}/service_account";

        // (weight, method, route, statuses with their weights)
        private static readonly (int Weight, string Method, string Route, (int Status, int Weight)[] Statuses)[] Calls =
        [
            (30, "GET", "/api/v0/actor", [(200, 995), (429, 5)]),
            (20, "GET", "/api/v0/{kind}/{handle}/member", [(200, 990), (404, 10)]),
            (20, "GET", Sa, [(200, 1000)]),
            (10, "GET", Sa + "/{sa_id}", [(200, 970), (404, 30)]),
            (10, "GET", Sa + "/{sa_id}/token", [(200, 980), (403, 20)]),
            (4, "GET", Sa + "/{sa_id}/audit_log", [(200, 950), (400, 20), (403, 30)]),
            (2, "POST", Sa, [(201, 700), (400, 150), (403, 150)]),
            (2, "PATCH", Sa + "/{sa_id}", [(200, 800), (412, 120), (403, 80)]),
            (1, "POST", Sa + "/{sa_id}/token", [(201, 600), (409, 300), (403, 100)]),
            (1, "DELETE", Sa + "/{sa_id}/token/{token_id}", [(204, 700), (404, 200), (403, 100)]),
        ];

        private static readonly int CallWeights = Calls.Sum(c => c.Weight);

        private static readonly string?[] TokenTitles = ["GitHub Actions", "Deploy pipeline", "Nightly jobs", "Release train", null];

        private readonly Dictionary<string, string> requestData = [];
        private int descriptionVersion;

        public AuditRecord Next(Random random, string entityId, DateTime at)
        {
            // Per million: ~987,000 api.request, 5,000 token.auth_failed, 2,000 service_account.update, 1,500 token.update,
            // 1,500 token.deactivate, 1,400 token.activate, 1,000 support.audit_log.view, 300 token.create,
            // 200 support.audit_log.export, 100 token.delete.
            var draw = random.Next(1_000_000);
            // Both tokens in use, the first more than the second (a pipeline that moved over only partly).
            var token = tokens[random.Next(3) == 0 ? 1 : 0];
            var runner = Pick(random, Runners);
            return draw switch
            {
                < 5_000 => Record(entityId, AuditActions.TokenAuthFailed, Actor.System.From(runner.Ip, runner.Agent), at, token,
                    new { reason = random.Next(10) switch { < 6 => "wrong_secret", < 8 => "inactive", _ => "expired" } }),
                < 7_000 => Record(entityId, AuditActions.ServiceAccountUpdate, Owner(random), at, null, new
                {
                    description = new Change<string>(Description(descriptionVersion), Description(++descriptionVersion)),
                }),
                < 8_500 => Record(entityId, AuditActions.TokenUpdate, Owner(random), at, token, new
                {
                    title = new Change<string?>(Pick(random, TokenTitles), Pick(random, TokenTitles)),
                }),
                < 10_000 => Record(entityId, AuditActions.TokenDeactivate, Owner(random), at, token, new { status = new Change<string>("active", "inactive") }),
                < 11_400 => Record(entityId, AuditActions.TokenActivate, Owner(random), at, token, new { status = new Change<string>("inactive", "active") }),
                < 12_400 => Record(entityId, AuditActions.SupportAuditLogView, Support(random), at, null, new { filters = Filters(random) }),
                < 12_700 => Record(entityId, AuditActions.TokenCreate, Owner(random), at, token, new
                {
                    title = new Change<string?>(null, Pick(random, TokenTitles)),
                    status = new Change<string?>(null, "active"),
                    expires_at = new Change<DateTime?>(null, at.AddDays(90)),
                    last4 = token[^4..],
                }),
                < 12_900 => Record(entityId, AuditActions.SupportAuditLogExport, Support(random), at, null, new { filters = Filters(random) }),
                < 13_000 => Record(entityId, AuditActions.TokenDelete, Owner(random), at, token, new
                {
                    title = new Change<string?>(Pick(random, TokenTitles), null),
                    status = new Change<string?>("inactive", null),
                    last4 = token[^4..],
                }),
                _ => ApiRequest(random, entityId, at, token, runner),
            };
        }

        private AuditRecord ApiRequest(Random random, string entityId, DateTime at, string token, (string Ip, string Agent) runner)
        {
            var pick = random.Next(CallWeights);
            var call = Calls[0];
            foreach (var candidate in Calls)
            {
                if ((pick -= candidate.Weight) < 0)
                {
                    call = candidate;
                    break;
                }
            }
            var statusPick = random.Next(call.Statuses.Sum(s => s.Weight));
            var status = call.Statuses[0].Status;
            foreach (var (candidate, weight) in call.Statuses)
            {
                if ((statusPick -= weight) < 0)
                {
                    status = candidate;
                    break;
                }
            }
            // The same data string as ApiRequestAudit writes; a few hundred distinct ones, made once each.
            var key = $"{call.Method} {call.Route} {status}";
            if (!requestData.TryGetValue(key, out var data))
            {
                data = "{\"method\":" + JsonSerializer.Serialize(call.Method) + ",\"path\":" + JsonSerializer.Serialize(call.Route)
                    + ",\"status\":" + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
                requestData[key] = data;
            }
            var actor = Actor.ServiceAccount(account.Id, account.Handle, account.Title, token).From(runner.Ip, runner.Agent);
            return AuditRecord.Create(entityId, AuditActions.ApiRequest, actor, at, new AuditSubject(account.Id, account.Handle, TokenId: token), data);
        }

        private AuditRecord Record(string entityId, string action, Actor actor, DateTime at, string? tokenId, object data) =>
            AuditRecord.Create(entityId, action, actor, at, ServiceAccountService.Subject(account, tokenId), data);

        private Actor Owner(Random random)
        {
            var person = Pick(random, People);
            return Pick(random, owners).From(person.Ip, person.Agent);
        }

        private Actor Support(Random random)
        {
            var person = Pick(random, People);
            return Pick(random, support).From(person.Ip, person.Agent);
        }

        private static object Filters(Random random) => new
        {
            actions = random.Next(3) == 0 ? new[] { AuditActions.TokenAuthFailed } : null,
            text = (string?)null,
            actor = (string?)null,
            from = (DateTime?)null,
            to = (DateTime?)null,
            token_id = (string?)null,
        };

        private static string Description(int version) => version == 0
            ? "Deploys the main branch from the CI pipeline."
            : $"Deploys the main branch from the CI pipeline (runbook rev. {version}).";

        private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
    }
}
