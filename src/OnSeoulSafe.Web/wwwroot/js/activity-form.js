// The safe-contact tick matters only for contact with the victim (a call, a home visit): other kinds of activity
// (a note, an appointment, an accompaniment) do not show it. Without JavaScript it stays visible and is only
// checked by the server for those kinds.
(function () {
    var form = document.getElementById('activity-form');
    if (!form) return;
    var kind = form.querySelector('select[name="Activity.Kind"]');
    var tick = form.querySelector('[data-contact-only]');
    if (!kind || !tick) return;
    var kinds = tick.getAttribute('data-contact-only').split(' ');
    function update() { tick.hidden = kinds.indexOf(kind.value) < 0; }
    kind.addEventListener('change', update);
    update();
})();
