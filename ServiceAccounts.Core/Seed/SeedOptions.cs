namespace ServiceAccounts.Core.Seed;

public sealed class SeedOptions
{
    public const string Section = "Seed";

    /// <summary>Create the demo data when the database is empty.</summary>
    public bool Demo { get; set; }
}
