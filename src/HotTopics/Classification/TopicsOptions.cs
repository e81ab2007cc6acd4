using System.ComponentModel.DataAnnotations;

namespace HotTopics.Classification;

/// <summary>The topic taxonomy and where models live (configuration section "Topics"; the default taxonomy is in appsettings.json).</summary>
public sealed class TopicsOptions
{
    public const string Section = "Topics";

    /// <summary>The topics items are tagged with. Replacing the list in configuration replaces the taxonomy.</summary>
    [Required, MinLength(1)]
    public List<TopicDefinition> Taxonomy { get; set; } = [];

    /// <summary>Folder for model files, inside the data directory.</summary>
    [Required]
    public string ModelDir { get; set; } = "models";

    /// <summary>Train a first model in the background when the service starts with items but without a model.</summary>
    public bool TrainOnFirstStart { get; set; } = true;

    /// <summary>Quartz cron schedule of the tagging job (new items are tagged within this interval of arriving).</summary>
    [Required]
    public string TagSchedule { get; set; } = "0 */5 * * * ?";

    /// <summary>Quartz cron schedule of the weekly retraining (Jobs:TimeZone).</summary>
    [Required]
    public string RetrainSchedule { get; set; } = "0 0 4 ? * MON";

    /// <summary>A model learns from at most this many of the newest items: memory and time stay bounded on a large
    /// database (60,000 arXiv papers train in under a minute in about 1 GB on 2 cores), and topics drift, so the newest count most.</summary>
    [Range(100, 10_000_000)]
    public int MaxTrainingItems { get; set; } = 60_000;

    /// <summary>A topic needs at least this many labelled items to be learned (fewer cannot be told from noise).</summary>
    [Range(2, 100_000)]
    public int MinExamples { get; set; } = 10;
}

/// <summary>One topic: its key (used in URLs and <c>topic:</c> queries), name, description, the arXiv categories that imply it, and phrases that imply it.</summary>
public sealed class TopicDefinition
{
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{0,39}$", ErrorMessage = "a topic key is 1-40 lower-case letters, digits or dashes")]
    public string Key { get; set; } = "";

    [Required]
    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>arXiv categories (cs.CL) or archives with a wildcard (q-bio.*) whose papers have this topic.</summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>Phrases whose presence in a title or abstract gives the topic as a training label ("diffusion model").</summary>
    public List<string> SeedPhrases { get; set; } = [];
}
