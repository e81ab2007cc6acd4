using HotTopics.Harvesting.Sources;

namespace HotTopics.Harvesting.Arxiv;

public static class ArxivSetup
{
    /// <summary>The arXiv routes (OAI-PMH, Atom API, RSS), their default sources and the reusable API client.</summary>
    public static IHostApplicationBuilder AddArxiv(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ArxivOptions>()
            .Bind(builder.Configuration.GetSection(ArxivOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => new[] { o.OaiSchedule, o.RssSchedule, o.ApiSchedule }.All(c => string.IsNullOrWhiteSpace(c) || Quartz.CronExpression.TryParse(c, out _)),
                "Arxiv:OaiSchedule, Arxiv:RssSchedule and Arxiv:ApiSchedule must be Quartz cron expressions (seconds first, e.g. \"0 30 6 * * ?\") or empty")
            .ValidateOnStart();
        builder.Services.AddSingleton<ArxivApiClient>();
        builder.Services.AddSingleton<IConfiguredSources, ArxivSources>();
        builder.Services.AddSingleton<ISourceHarvester, ArxivOaiHarvester>();
        builder.Services.AddSingleton<ISourceHarvester, ArxivApiHarvester>();
        builder.Services.AddSingleton<ISourceHarvester, ArxivRssHarvester>();
        return builder;
    }
}
