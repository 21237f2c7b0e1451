using MudBlazor;

namespace ServiceAccounts.Web.Components.Layout;

/// <summary>The console's look: MudBlazor's defaults with a calmer palette and the system's own fonts (nothing fetched).</summary>
public static class AppTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Ubuntu", "Cantarell", "Noto Sans", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = Create();

    private static MudTheme Create()
    {
        var typography = new Typography();
        foreach (var style in new BaseTypography[]
                 {
                     typography.Default, typography.H1, typography.H2, typography.H3, typography.H4, typography.H5, typography.H6,
                     typography.Subtitle1, typography.Subtitle2, typography.Body1, typography.Body2, typography.Button,
                     typography.Caption, typography.Overline,
                 })
        {
            style.FontFamily = SystemFonts;
        }
        typography.Button.TextTransform = "none";
        return new MudTheme
        {
            Typography = typography,
            PaletteLight = new PaletteLight
            {
                Primary = "#1f5fbf",
                // Secondary is used for quiet text and chips, not as an accent.
                Secondary = "#5b6577",
                AppbarBackground = "#1c2b41",
                Background = "#f5f7fa",
            },
            PaletteDark = new PaletteDark
            {
                Primary = "#6ea8fe",
                Secondary = "#a3abba",
                AppbarBackground = "#151a23",
            },
            LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
        };
    }
}
