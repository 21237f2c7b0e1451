using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Data;

namespace ServiceAccounts.Core.Audit;

internal static class ApiRequestRecords
{
    /// <summary>
    /// The api.request record of <paramref name="request"/>, on its account's billing entity chain; null when
    /// the account is gone (nothing is left to attach the record to).
    /// </summary>
    public static async Task<AuditRecord?> CreateAsync(AppDbContext db, ApiRequestAudit request, int status, DateTime at, CancellationToken cancellationToken)
    {
        var actor = request.Actor;
        var entityId = actor.BillingEntityId
            ?? await db.ServiceAccounts.Where(s => s.Id == actor.Id).Select(s => s.BillingEntityId).FirstOrDefaultAsync(cancellationToken);
        return entityId is null
            ? null
            : AuditRecord.Create(entityId, AuditActions.ApiRequest, actor, at,
                new AuditSubject(actor.Id, actor.Handle, TokenId: actor.TokenId), request.Data(status));
    }
}
