// Hash-only evidence: computes SHA-256 of chosen files in the browser (Web Crypto) and posts only the hashes.
// The file input has no name, so the browser never submits the file; it is also cleared once hashed.
(function () {
    'use strict';
    var MAX_BYTES = 512 * 1024 * 1024;

    function hex(buffer) {
        return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    }

    function kindOf(file) {
        if (file.type.indexOf('image/') === 0) return 'Image';
        if (file.type.indexOf('video/') === 0) return 'Video';
        return 'Other';
    }

    function hidden(name, value) {
        var input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        return input;
    }

    function renumber(root) {
        var prefix = root.dataset.prefix;
        root.querySelectorAll('[data-evidence-item]').forEach(function (item, index) {
            item.querySelectorAll('input[type=hidden]').forEach(function (input) {
                input.name = prefix + input.name.substring(input.name.indexOf('[')).replace(/^\[\d+\]/, '[' + index + ']');
            });
        });
    }

    function addItem(root, list, sha, kind, size, label) {
        var prefix = root.dataset.prefix;
        if (root.dataset.multiple !== 'true') list.innerHTML = '';
        var item = document.createElement('li');
        item.setAttribute('data-evidence-item', '');
        var text = document.createElement('span');
        text.textContent = label;
        item.appendChild(text);
        item.appendChild(hidden(prefix + '[0].Sha256', sha));
        item.appendChild(hidden(prefix + '[0].Kind', kind));
        item.appendChild(hidden(prefix + '[0].SizeBytes', String(size)));
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'btn btn-link btn-sm';
        remove.textContent = root.dataset.msgRemove;
        remove.addEventListener('click', function () { item.remove(); renumber(root); });
        item.appendChild(remove);
        list.appendChild(item);
        renumber(root);
    }

    function init(root) {
        var input = root.querySelector('[data-evidence-file]');
        var list = root.querySelector('[data-evidence-list]');
        if (!input || !list) return;
        input.removeAttribute('name');
        input.addEventListener('change', async function () {
            var files = Array.prototype.slice.call(input.files || []);
            if (!(window.crypto && window.crypto.subtle)) {
                list.textContent = root.dataset.msgUnsupported;
                input.value = '';
                return;
            }
            for (var i = 0; i < files.length; i++) {
                var file = files[i];
                if (file.size > MAX_BYTES) {
                    var tooLarge = document.createElement('li');
                    tooLarge.textContent = root.dataset.msgTooLarge;
                    list.appendChild(tooLarge);
                    continue;
                }
                var status = document.createElement('li');
                status.textContent = root.dataset.msgHashing;
                list.appendChild(status);
                var digest = await window.crypto.subtle.digest('SHA-256', await file.arrayBuffer());
                status.remove();
                var sha = hex(digest);
                addItem(root, list, sha, kindOf(file), file.size, root.dataset.msgDone.replace('{0}', sha.substring(0, 16) + '…'));
            }
            // Nothing of the file itself stays in the form.
            input.value = '';
        });
    }

    document.querySelectorAll('[data-evidence-hashes]').forEach(init);
})();
