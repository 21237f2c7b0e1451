using Microsoft.AspNetCore.Identity;

namespace ServiceAccounts.Core.Security;

/// <summary>A person who signs in to the console.</summary>
public sealed class AppUser : IdentityUser
{
    public const int DisplayNameMaxLength = 100;
    public const string SupportRole = "Support";

    public AppUser()
    {
        Id = Ids.NewUserId();
    }

    public string DisplayName { get; set; } = string.Empty;
    public string Handle { get; set; } = string.Empty;
    public DateTime CreatedAt { get; set; }
    public DateTime? LastActivityAt { get; set; }
}

/// <summary>
/// Reserves a handle for one user or service account: the primary key makes a handle unique across both
/// tables, even when two of them are created at the same instant.
/// </summary>
public sealed class HandleClaim
{
    private HandleClaim()
    {
    }

    public HandleClaim(string handle, string ownerId)
    {
        Handle = handle;
        OwnerId = ownerId;
    }

    public string Handle { get; private set; } = null!;
    public string OwnerId { get; private set; } = null!;
}
