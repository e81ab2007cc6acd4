using HotTopics.Items;

namespace HotTopics.Harvesting.Feeds;

public static class FeedsSetup
{
    /// <summary>Feed sources (kind <c>feed</c>): the harvester, adding sites and feeds, links from posts to papers.</summary>
    public static IHostApplicationBuilder AddFeeds(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedOptions>()
            .Bind(builder.Configuration.GetSection(FeedOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ItemLinkStore>();
        builder.Services.AddSingleton<FeedSources>();
        builder.Services.AddSingleton<ISourceHarvester, FeedHarvester>();
        return builder;
    }
}
