namespace ServiceAccounts.Core.Audit;

/// <summary>
/// Where an entity's audit chain ends, kept beside it: records cut off the end of a chain leave a
/// chain that is consistent in itself, and only this row tells the verifier it used to be longer.
/// </summary>
public sealed class AuditChainHead
{
    private AuditChainHead()
    {
    }

    public AuditChainHead(string entityId)
    {
        EntityId = entityId;
        Hash = AuditRecord.GenesisHash;
    }

    public string EntityId { get; private set; } = null!;
    public long Sequence { get; private set; }
    public string Hash { get; private set; } = null!;

    internal void MoveTo(long sequence, string hash)
    {
        Sequence = sequence;
        Hash = hash;
    }
}
