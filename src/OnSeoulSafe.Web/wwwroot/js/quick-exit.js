// Quick exit: blank the page at once, end the status session on the server, and leave for a neutral site without
// leaving this portal in the Back history.
(function () {
    "use strict";
    var link = document.querySelector("[data-quick-exit]");
    if (!link) { return; }
    var leaving = false;
    function leave(event) {
        if (event) { event.preventDefault(); }
        if (leaving) { return; }
        leaving = true;
        document.body.style.display = "none";
        var neutral = link.getAttribute("data-neutral");
        var gone = false;
        function go() {
            if (gone) { return; }
            gone = true;
            window.location.replace(neutral);
        }
        // The session ends on the server even if the page is gone before the answer (keepalive). The neutral site
        // waits for that answer for at most a second, so a slow server never holds the victim here.
        try {
            fetch(link.getAttribute("href"), { credentials: "same-origin", keepalive: true, redirect: "manual", cache: "no-store" })
                .then(go, go);
        } catch (e) {
            go();
        }
        window.setTimeout(go, 1000);
    }
    link.addEventListener("click", leave);
    // Shift pressed three times within a second and a half does the same.
    var presses = [];
    document.addEventListener("keyup", function (event) {
        if (event.key !== "Shift") { return; }
        var now = Date.now();
        presses = presses.filter(function (t) { return now - t < 1500; });
        presses.push(now);
        if (presses.length >= 3) { leave(); }
    });
    // A page brought back from the back/forward cache (Back after leaving) is never shown as it was: it is blanked
    // and asked for again, and the server answers with what the session now allows (after an exit, nothing).
    window.addEventListener("pageshow", function (event) {
        if (event.persisted) {
            document.body.style.display = "none";
            window.location.reload();
        }
    });
})();
