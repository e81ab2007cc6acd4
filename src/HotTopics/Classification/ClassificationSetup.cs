using System.ComponentModel.DataAnnotations;

namespace HotTopics.Classification;

internal static class ClassificationSetup
{
    public static IHostApplicationBuilder AddClassification(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TopicsOptions>()
            .Bind(builder.Configuration.GetSection(TopicsOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Taxonomy.All(t => Validator.TryValidateObject(t, new ValidationContext(t), null, validateAllProperties: true)),
                "every topic in Topics:Taxonomy needs a Key (1-40 lower-case letters, digits or dashes) and a Name")
            .Validate(o => o.Taxonomy.Select(t => t.Key).Distinct(StringComparer.Ordinal).Count() == o.Taxonomy.Count, "topic keys in Topics:Taxonomy must be unique")
            .ValidateOnStart();
        builder.Services.AddSingleton<TopicTaxonomy>();
        builder.Services.AddSingleton<TopicStore>();
        builder.Services.AddSingleton<TopicService>();
        builder.Services.AddSingleton<TopicFacts>();
        return builder;
    }

    /// <summary>The web app's part: the tagging and retraining jobs on Quartz's schedule (needs AddJobs).</summary>
    public static WebApplicationBuilder AddTopicJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<TopicSchedule>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TopicSchedule>());
        return builder;
    }
}
