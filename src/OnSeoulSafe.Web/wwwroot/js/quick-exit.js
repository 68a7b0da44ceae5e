// Quick exit: leave for a neutral site without leaving this portal in the Back history.
(function () {
    "use strict";
    var link = document.querySelector("[data-quick-exit]");
    if (!link) { return; }
    function leave(event) {
        if (event) { event.preventDefault(); }
        document.body.style.display = "none";
        window.location.replace(link.href);
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
})();
