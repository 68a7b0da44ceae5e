// A table wider than the screen scrolls inside its own box: while it does, the box takes the focus, so a keyboard
// user can scroll it too (WCAG 2.1.1). Boxes that fit stay out of the tab order.
(function () {
    "use strict";
    var boxes = document.querySelectorAll(".table-responsive");
    if (boxes.length === 0) { return; }
    function update() {
        boxes.forEach(function (box) {
            if (box.scrollWidth > box.clientWidth + 1) {
                box.setAttribute("tabindex", "0");
            } else {
                box.removeAttribute("tabindex");
            }
        });
    }
    update();
    window.addEventListener("resize", update);
})();
