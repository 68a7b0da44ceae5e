// The rules FluentValidation's client adapters wrote into the form (data-val-*), checked in the browser before the
// post by aspnet-client-validation (wwwroot/lib, no jQuery). The server checks the same rules again on every post.
(function () {
    "use strict";
    if (!window.aspnetValidation) { return; }
    var validation = new window.aspnetValidation.ValidationService();
    // Bootstrap's classes, and the same marks the server puts on a field with an error: aria-invalid, and
    // aria-describedby naming its message (the message's id is the field's id + "-error").
    validation.ValidationInputCssClassName = "is-invalid";
    validation.ValidationInputValidCssClassName = "";
    validation.highlight = function (input) {
        input.classList.add("is-invalid");
        input.setAttribute("aria-invalid", "true");
        var message = input.id + "-error";
        var describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (describedBy.indexOf(message) < 0) { describedBy.push(message); }
        input.setAttribute("aria-describedby", describedBy.join(" "));
    };
    validation.unhighlight = function (input) {
        input.classList.remove("is-invalid");
        input.removeAttribute("aria-invalid");
    };
    validation.bootstrap();
})();
