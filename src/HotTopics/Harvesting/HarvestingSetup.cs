using HotTopics.Harvesting.Arxiv;
using HotTopics.Harvesting.Sources;
using HotTopics.Jobs;
using Microsoft.Extensions.Options;

namespace HotTopics.Harvesting;

public static class HarvestingSetup
{
    /// <summary>Sources, the harvester and polite HTTP: what the server and the CLI verbs share.</summary>
    public static IHostApplicationBuilder AddHarvesting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HarvestingOptions>()
            .Bind(builder.Configuration.GetSection(HarvestingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<HostPacer>();
        builder.Services.AddHttpClient<PoliteHttp>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => PoliteHttp.CreateHandler(sp.GetRequiredService<IOptions<HarvestingOptions>>().Value));
        builder.Services.AddSingleton<SourceStore>();
        builder.Services.AddSingleton<SourceSeeder>();
        builder.Services.AddSingleton<JobRunStore>();
        builder.Services.AddSingleton<Harvester>();
        builder.AddArxiv();
        return builder;
    }
}
