// A form sent back with errors: move the focus to the list of errors so it is read out first.
(function () {
    "use strict";
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
})();
