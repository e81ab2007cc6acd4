namespace HotTopics.Accounts;

public static class Roles
{
    public const string Organizer = "organizer";
    public const string Member = "member";

    /// <summary>The authorization policy every organizer-only page, form and endpoint names.</summary>
    public const string OrganizerPolicy = "Organizer";

    public static bool IsKnown(string role) => role is Organizer or Member;
}
