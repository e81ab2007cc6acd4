namespace HotTopics.Items;

public static class ItemKind
{
    public const string Paper = "paper";
    public const string Post = "post";
    public const string Link = "link";

    public static readonly IReadOnlyList<string> All = [Paper, Post, Link];

    public static bool IsKnown(string value) => value is Paper or Post or Link;
}
