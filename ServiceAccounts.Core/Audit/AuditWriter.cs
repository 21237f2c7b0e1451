using ServiceAccounts.Core.Data;
using ServiceAccounts.Core.Security;

namespace ServiceAccounts.Core.Audit;

internal static class AuditWriter
{
    /// <summary>Adds a record to the context; it is chained and saved by the same SaveChanges as the change it describes.</summary>
    public static AuditRecord Add(this AppDbContext db, string entityId, string actionType, Actor actor, DateTime at, AuditSubject subject, object? data = null)
    {
        var record = AuditRecord.Create(entityId, actionType, actor, at, subject, data);
        db.AuditRecords.Add(record);
        return record;
    }
}
