using HotTopics.Harvesting.Feeds;

namespace HotTopics.Tests.Feeds;

public sealed class FeedPollingTests
{
    private static readonly FeedOptions Options = new() { MinIntervalMinutes = 30, MaxIntervalMinutes = 24 * 60 };
    private static readonly DateTimeOffset Now = new(2026, 7, 4, 12, 0, 0, TimeSpan.Zero);

    private static IEnumerable<DateTimeOffset> Every(TimeSpan gap, int count) => Enumerable.Range(0, count).Select(i => Now - gap * i);

    [Fact]
    public void A_feed_that_posts_every_eight_hours_is_polled_every_two()
    {
        Assert.Equal(TimeSpan.FromHours(2), FeedPolling.NextInterval(Every(TimeSpan.FromHours(8), 10), true, TimeSpan.Zero, Options));
    }

    [Fact]
    public void A_monthly_blog_is_polled_once_a_day_and_a_busy_news_feed_no_more_than_the_minimum()
    {
        Assert.Equal(TimeSpan.FromDays(1), FeedPolling.NextInterval(Every(TimeSpan.FromDays(30), 5), true, TimeSpan.Zero, Options));
        Assert.Equal(TimeSpan.FromMinutes(30), FeedPolling.NextInterval(Every(TimeSpan.FromMinutes(5), 10), true, TimeSpan.Zero, Options));
    }

    [Fact]
    public void Nothing_new_stretches_the_interval_by_half_up_to_the_maximum()
    {
        Assert.Equal(TimeSpan.FromHours(3), FeedPolling.NextInterval(Every(TimeSpan.FromHours(8), 10), false, TimeSpan.FromHours(2), Options));
        Assert.Equal(TimeSpan.FromDays(1), FeedPolling.NextInterval([], false, TimeSpan.FromHours(20), Options));
    }

    [Fact]
    public void A_feed_without_dates_starts_at_the_minimum()
    {
        Assert.Equal(TimeSpan.FromMinutes(30), FeedPolling.NextInterval([], true, TimeSpan.Zero, Options));
    }
}
