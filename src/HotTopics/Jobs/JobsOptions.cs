using System.ComponentModel.DataAnnotations;

namespace HotTopics.Jobs;

/// <summary>The scheduler: whether it runs in this process, and the time zone cron schedules are read in.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run scheduled jobs in the web app (turn off on a second instance that should only serve pages).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IANA time zone of every cron schedule: "0 0 7 * * ?" is 07:00 in Vienna, summer or winter.</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Vienna";

    /// <summary>How late a trigger may fire before it counts as missed (a missed run fires once when the service is back).</summary>
    [Range(1, 86_400)]
    public int MisfireThresholdSeconds { get; set; } = 60;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}
