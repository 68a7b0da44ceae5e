using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OnSeoulSafe.Cases.Data;
using OnSeoulSafe.Cases.Domain;
using OnSeoulSafe.Web.Resources;

namespace OnSeoulSafe.Web.Pages.Status;

/// <summary>Consent per kind of help, given or withdrawn at any time; the history keeps both times.</summary>
public sealed class ConsentsModel(PortalDbContext db, VictimCase victimCase, TimeProvider clock, IStringLocalizer<StatusText> text) : PageModel
{
    [BindProperty]
    public List<ServiceTrackKind> Tracks { get; set; } = [];

    /// <summary>Deletion requests sent to platforms may carry the victim's nickname (off unless they tick it).</summary>
    [BindProperty]
    public bool NameInDeletionRequests { get; set; }

    /// <summary>Copies monitoring finds may be requested at once, without the companion checking each first (off unless ticked).</summary>
    [BindProperty]
    public bool AutomaticRequests { get; set; }

    public bool HasNickname { get; private set; }

    public IReadOnlyList<Consent> History { get; private set; } = [];

    public bool IsOpen { get; private set; }

    public async Task OnGetAsync()
    {
        var @case = await LoadAsync();
        Tracks = Enum.GetValues<ServiceTrackKind>().Where(t => @case.HasConsent(t, exact: true)).ToList();
        NameInDeletionRequests = @case.NameInDeletionRequests;
        AutomaticRequests = @case.AutomaticRequests;
        await victimCase.SaveViewAsync(HttpContext.RequestAborted);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var @case = await LoadAsync();
        if (!IsOpen || Tracks.Any(t => !Enum.IsDefined(t)))
        {
            ModelState.AddModelError(string.Empty, text["This case is closed. Please report again if you need help."]);
            await victimCase.SaveViewAsync(HttpContext.RequestAborted);
            return Page();
        }
        var now = clock.GetUtcNow();
        foreach (var track in Enum.GetValues<ServiceTrackKind>())
        {
            if (Tracks.Contains(track)) @case.GiveConsent(track, null, now);
            else @case.WithdrawConsent(track, null, now);
        }
        @case.SetNameInDeletionRequests(NameInDeletionRequests, now);
        @case.SetAutomaticRequests(AutomaticRequests, now);
        await db.SaveChangesAsync(HttpContext.RequestAborted);
        TempData["Notice"] = text["Your choices were saved."].Value;
        return RedirectToPage("/Status/Case");
    }

    private async Task<Case> LoadAsync()
    {
        var @case = await victimCase.LoadAsync(q => q.Include(c => c.Consents).Include(c => c.Victim), "Status/Consents", HttpContext.RequestAborted);
        History = @case.Consents.OrderByDescending(c => c.GivenAt).ToList();
        IsOpen = @case.IsOpen;
        HasNickname = @case.Victim.Nickname is not null;
        return @case;
    }
}
