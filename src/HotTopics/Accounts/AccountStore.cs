using System.Net.Mail;
using Dapper;
using HotTopics.Items;
using HotTopics.Storage;
using Microsoft.AspNetCore.Identity;

namespace HotTopics.Accounts;

public sealed class Account
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string CreatedAt { get; init; } = "";
    public string? LastLoginAt { get; init; }
}

/// <summary>Users and their roles. Passwords are stored as ASP.NET Core Identity's PBKDF2 hashes, never in clear.</summary>
public sealed class AccountStore(Database database, TimeProvider time)
{
    public const int MinPasswordLength = 12;
    private static readonly PasswordHasher<Account> Hasher = new();

    /// <summary>Adds a user, or changes the role and password of an existing one (same e-mail).</summary>
    public async Task<Account> SaveAsync(string email, string displayName, string role, string password, CancellationToken ct)
    {
        email = email.Trim();
        if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            throw new ArgumentException($"'{email}' is not an e-mail address.", nameof(email));
        if (!Roles.IsKnown(role))
            throw new ArgumentException($"'{role}' is not a role: use {Roles.Organizer} or {Roles.Member}.", nameof(role));
        if (password.Length < MinPasswordLength)
            throw new ArgumentException($"The password needs at least {MinPasswordLength} characters.", nameof(password));
        var hash = Hasher.HashPassword(new Account(), password);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO users (email, display_name, role, password_hash, created_at)
            VALUES (@email, @name, @role, @hash, @now)
            ON CONFLICT (email) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, password_hash = excluded.password_hash
            """, new { email, name = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(), role, hash, now = ItemDates.Format(time.GetUtcNow()) },
            cancellationToken: ct));
        return (await FindAsync(email, ct))!;
    }

    public async Task<Account?> FindAsync(string email, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition("""
            SELECT id, email, display_name AS DisplayName, role, password_hash AS PasswordHash, created_at AS CreatedAt, last_login_at AS LastLoginAt
            FROM users WHERE email = @email
            """, new { email = email.Trim() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Account>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return [.. await connection.QueryAsync<Account>(new CommandDefinition("""
            SELECT id, email, display_name AS DisplayName, role, created_at AS CreatedAt, last_login_at AS LastLoginAt
            FROM users ORDER BY role, email
            """, cancellationToken: ct))];
    }

    /// <summary>The account when the password is right; null otherwise (unknown e-mail and wrong password look the same).</summary>
    public async Task<Account?> VerifyAsync(string email, string password, CancellationToken ct)
    {
        var account = await FindAsync(email, ct);
        if (account is null)
        {
            // Spend the same time as a real check so response times do not reveal which e-mails exist.
            Hasher.VerifyHashedPassword(new Account(), DummyHash, password);
            return null;
        }
        if (Hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed) return null;
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE users SET last_login_at = @now WHERE id = @id",
            new { id = account.Id, now = ItemDates.Format(time.GetUtcNow()) }, cancellationToken: ct));
        return account;
    }

    private static readonly string DummyHash = Hasher.HashPassword(new Account(), "not-a-real-password-at-all");
}
