using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using ServiceAccounts.Core.Common;
using ServiceAccounts.Core.Data;

namespace ServiceAccounts.Core.Security;

/// <summary>People: registration (with a handle of their own) and the actor a signed-in person acts as.</summary>
public sealed class UserDirectory(UserManager<AppUser> users, AppDbContext db, TimeProvider clock)
{
    public async Task<Result<AppUser>> RegisterAsync(string? email, string? displayName, string? password, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        if (TextInput.Check(displayName, "Name", AppUser.DisplayNameMaxLength, required: true, multiline: false, out var name) is { } nameError)
        {
            errors["displayName"] = nameError;
        }
        var address = (email ?? string.Empty).Trim();
        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(address) || address.Length == 0)
        {
            errors["email"] = "Enter a valid email address.";
        }
        else if (await users.FindByEmailAsync(address) is not null)
        {
            errors["email"] = "An account with this email already exists. Sign in instead.";
        }
        if (errors.Count > 0)
        {
            return Result.Invalid(errors);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var handle = await FreeHandleAsync(Handles.Derive(address.Split('@')[0], "user"), cancellationToken);
        var user = new AppUser { UserName = address, Email = address, EmailConfirmed = true, DisplayName = name, Handle = handle, CreatedAt = clock.GetUtcNow().UtcDateTime };
        db.HandleClaims.Add(new HandleClaim(handle, user.Id));
        await db.SaveChangesAsync(cancellationToken);
        var created = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var messages = created.Errors.GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email")
                .ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => e.Description)));
            return Result.Invalid(messages);
        }
        await transaction.CommitAsync(cancellationToken);
        return Result.Ok(user);
    }

    /// <summary>
    /// How long a console sign-in of this person lasts: the shortest Console Session Timeout of the Enterprise
    /// tenants they belong to (directly or through one of their orgs), else the default of 30 days.
    /// </summary>
    public async Task<TimeSpan> SessionTimeoutAsync(string userId, CancellationToken cancellationToken = default)
    {
        var entityIds = db.Memberships.Where(m => m.UserId == userId).Select(m => m.EntityId);
        var tenantIds = db.Entities.Where(e => entityIds.Contains(e.Id))
            .Select(e => e is Tenancy.Org ? ((Tenancy.Org)e).ParentTenantId : e.Id);
        var days = await db.Tenants.AsNoTracking()
            .Where(t => !t.IsDefault && tenantIds.Contains(t.Id))
            .Select(t => (int?)t.SessionTimeoutDays)
            .MinAsync(cancellationToken);
        return TimeSpan.FromDays(days ?? Tenancy.Tenant.DefaultSessionTimeoutDays);
    }

    /// <summary>The actor a signed-in person acts as: support staff act as support everywhere.</summary>
    public async Task<Actor?> ActorForAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.Id, u.Handle, u.DisplayName }).FirstOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }
        var isSupport = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where ur.UserId == userId && r.Name == AppUser.SupportRole
            select ur).AnyAsync(cancellationToken);
        return isSupport ? Actor.Support(user.Id, user.Handle, user.DisplayName) : Actor.User(user.Id, user.Handle, user.DisplayName);
    }

    public Task RecordActivityAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastActivityAt, now), cancellationToken);
    }

    private async Task<string> FreeHandleAsync(string baseHandle, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = Handles.Candidate(baseHandle, attempt);
            if (!await db.HandleClaims.AnyAsync(c => c.Handle == candidate, cancellationToken))
            {
                return candidate;
            }
        }
    }
}
