// Hash-only evidence: fingerprints chosen files in the browser and posts only the hashes. For every file its SHA-256
// (Web Crypto, or streamed in chunks for large files so the page never freezes); for a picture the browser can open
// its PDQ and quality (pdq.js); for a video one PDQ per second. The file input has no name, so the browser never
// submits the file; it is also cleared once hashed.
(function () {
    'use strict';
    var MAX_BYTES = 4 * 1024 * 1024 * 1024;
    // Web Crypto digests a whole buffer at once: above this the file is read and hashed in chunks instead.
    var WHOLE_FILE_BYTES = 64 * 1024 * 1024;
    var CHUNK_BYTES = 4 * 1024 * 1024;
    var LOW_QUALITY = 50;

    var K = new Int32Array([
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);

    // SHA-256 fed in pieces (FIPS 180-4), for files too large to hand to Web Crypto in one buffer.
    function Sha256() {
        this.h = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
        this.w = new Int32Array(64);
        this.rest = new Uint8Array(64);
        this.restLength = 0;
        this.bytes = 0;
    }

    Sha256.prototype.block = function (d, o) {
        var w = this.w, h = this.h, i;
        for (i = 0; i < 16; i++, o += 4) w[i] = (d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3];
        for (i = 16; i < 64; i++) {
            var x = w[i - 15], y = w[i - 2];
            var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
            var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
            w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
        }
        var a = h[0], b = h[1], c = h[2], e = h[4], f = h[5], g = h[6], k = h[3], l = h[7];
        for (i = 0; i < 64; i++) {
            var t1 = (l + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
            var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
            l = g; g = f; f = e; e = (k + t1) | 0; k = c; c = b; b = a; a = (t1 + t2) | 0;
        }
        h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + k) | 0;
        h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + l) | 0;
    };

    Sha256.prototype.update = function (data) {
        var i = 0, n = data.length;
        this.bytes += n;
        if (this.restLength > 0) {
            while (i < n && this.restLength < 64) this.rest[this.restLength++] = data[i++];
            if (this.restLength < 64) return;
            this.block(this.rest, 0);
            this.restLength = 0;
        }
        for (; i + 64 <= n; i += 64) this.block(data, i);
        while (i < n) this.rest[this.restLength++] = data[i++];
    };

    Sha256.prototype.hex = function () {
        var bits = this.bytes * 8;
        var tail = new Uint8Array(this.restLength < 56 ? 64 - this.restLength : 128 - this.restLength);
        tail[0] = 0x80;
        var high = Math.floor(bits / 4294967296), low = bits >>> 0;
        var end = tail.length;
        tail[end - 8] = high >>> 24; tail[end - 7] = high >>> 16; tail[end - 6] = high >>> 8; tail[end - 5] = high;
        tail[end - 4] = low >>> 24; tail[end - 3] = low >>> 16; tail[end - 2] = low >>> 8; tail[end - 1] = low;
        var bytes = this.bytes;
        this.update(tail);
        this.bytes = bytes;
        return Array.prototype.map.call(this.h, function (v) { return (v >>> 0).toString(16).padStart(8, '0'); }).join('');
    };

    function hex(buffer) {
        return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
    }

    // The file's SHA-256: in one go when small, else chunk by chunk with the page free between chunks.
    async function sha256Of(blob, onProgress) {
        if (blob.size <= WHOLE_FILE_BYTES && window.crypto && window.crypto.subtle) {
            return hex(await window.crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
        }
        var sha = new Sha256();
        for (var offset = 0; offset < blob.size; offset += CHUNK_BYTES) {
            sha.update(new Uint8Array(await blob.slice(offset, offset + CHUNK_BYTES).arrayBuffer()));
            if (onProgress) onProgress(Math.min(offset + CHUNK_BYTES, blob.size) / blob.size);
        }
        return sha.hex();
    }

    // One video's frame hashes as one form value: base64url of 32 hash bytes then 1 quality byte per second.
    function encodeFrames(frames) {
        var bytes = new Uint8Array(frames.length * 33);
        frames.forEach(function (frame, i) {
            for (var b = 0; b < 32; b++) bytes[i * 33 + b] = parseInt(frame.hash.substring(b * 2, b * 2 + 2), 16);
            bytes[i * 33 + 32] = frame.quality;
        });
        var text = '';
        for (var i = 0; i < bytes.length; i += 8192) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
        return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }

    async function kindOf(file) {
        if (file.type.indexOf('image/') === 0) return 'Image';
        if (file.type.indexOf('video/') === 0) return 'Video';
        // No type given (some systems): a picture is recognised by its header.
        if (window.Pdq && Pdq.header(new Uint8Array(await file.slice(0, 4096).arrayBuffer()))) return 'Image';
        return 'Other';
    }

    function hidden(name, value) {
        var input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        return input;
    }

    function framesIn(list) {
        var total = 0;
        list.querySelectorAll('input[type=hidden][data-frame-count]').forEach(function (input) { total += Number(input.dataset.frameCount) || 0; });
        return total;
    }

    function renumber(root) {
        var prefix = root.dataset.prefix;
        root.querySelectorAll('[data-evidence-item]').forEach(function (item, index) {
            item.querySelectorAll('input[type=hidden]').forEach(function (input) {
                input.name = prefix + input.name.substring(input.name.indexOf('[')).replace(/^\[\d+\]/, '[' + index + ']');
            });
        });
    }

    function addItem(root, list, fields, label, notes) {
        var prefix = root.dataset.prefix;
        if (root.dataset.multiple !== 'true') list.innerHTML = '';
        var item = document.createElement('li');
        item.setAttribute('data-evidence-item', '');
        var text = document.createElement('span');
        text.textContent = label;
        item.appendChild(text);
        Object.keys(fields).forEach(function (name) {
            if (fields[name] === null || fields[name] === undefined) return;
            var input = hidden(prefix + '[0].' + name, String(fields[name]));
            if (name === 'Frames') input.dataset.frameCount = String(fields[name].length / 44);
            item.appendChild(input);
        });
        var remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'btn btn-link btn-sm';
        remove.textContent = root.dataset.msgRemove;
        remove.addEventListener('click', function () { item.remove(); renumber(root); });
        item.appendChild(remove);
        notes.forEach(function (note) {
            var line = document.createElement('span');
            line.className = 'd-block evidence-note';
            line.textContent = note;
            item.appendChild(line);
        });
        list.appendChild(item);
        renumber(root);
    }

    async function fingerprint(root, list, file) {
        var msg = root.dataset;
        if (file.size === 0) {
            var empty = document.createElement('li');
            empty.textContent = msg.msgEmpty;
            list.appendChild(empty);
            return;
        }
        var status = document.createElement('li');
        status.textContent = msg.msgHashing;
        list.appendChild(status);
        try {
            var sha = await sha256Of(file, function (part) { status.textContent = msg.msgHashing + ' ' + Math.floor(part * 100) + '%'; });
            var kind = await kindOf(file);
            var fields = { Sha256: sha, Kind: kind, SizeBytes: file.size };
            var label = msg.msgDone.replace('{0}', sha.substring(0, 16) + '…');
            var notes = [];
            if (kind === 'Image' && window.Pdq) {
                try {
                    var picture = await Pdq.fromBlob(file);
                    fields.Pdq = picture.hash;
                    fields.PdqQuality = picture.quality;
                    label += ' · ' + msg.msgPicture.replace('{0}', picture.quality);
                    if (picture.quality < LOW_QUALITY) notes.push(msg.msgLowQuality);
                } catch (e) {
                    notes.push(e && e.code === 'too-large' ? msg.msgTooManyPixels : msg.msgUnchangedOnly);
                }
            } else if (kind === 'Video' && window.Pdq) {
                var budget = Number(root.dataset.maxFrames) - (root.dataset.multiple === 'true' ? framesIn(list) : 0);
                try {
                    if (budget <= 0) throw new Pdq.PdqError('budget');
                    var video = await Pdq.videoFrames(file, {
                        maxFrames: budget,
                        onProgress: function (done, total) { status.textContent = msg.msgFrames.replace('{0}', done).replace('{1}', total); }
                    });
                    fields.Frames = encodeFrames(video.frames);
                    label += ' · ' + msg.msgVideo.replace('{0}', video.frames.length);
                    if (video.truncated) notes.push(msg.msgVideoPart.replace('{0}', video.frames.length));
                } catch (e) {
                    notes.push(e && e.code === 'budget' ? msg.msgVideoBudget : msg.msgUnchangedOnly);
                }
            } else {
                notes.push(msg.msgUnchangedOnly);
            }
            addItem(root, list, fields, label, notes);
        } catch (e) {
            var failed = document.createElement('li');
            failed.textContent = msg.msgUnreadable;
            list.appendChild(failed);
        } finally {
            status.remove();
        }
    }

    function init(root) {
        var input = root.querySelector('[data-evidence-file]');
        var list = root.querySelector('[data-evidence-list]');
        if (!input || !list) return;
        input.removeAttribute('name');
        input.addEventListener('change', async function () {
            var files = Array.prototype.slice.call(input.files || []);
            // Nothing of the file itself stays in the form.
            input.value = '';
            var form = root.closest('form');
            var buttons = form ? Array.prototype.slice.call(form.querySelectorAll('button[type=submit]')) : [];
            // A form sent halfway through would go without the fingerprints still being computed.
            buttons.forEach(function (b) { b.disabled = true; });
            root.setAttribute('aria-busy', 'true');
            try {
                for (var i = 0; i < files.length; i++) {
                    if (files[i].size > MAX_BYTES) {
                        var tooLarge = document.createElement('li');
                        tooLarge.textContent = root.dataset.msgTooLarge;
                        list.appendChild(tooLarge);
                        continue;
                    }
                    await fingerprint(root, list, files[i]);
                }
            } finally {
                buttons.forEach(function (b) { b.disabled = false; });
                root.removeAttribute('aria-busy');
            }
        });
    }

    window.EvidenceFingerprints = { sha256: sha256Of, Sha256: Sha256, encodeFrames: encodeFrames };
    document.querySelectorAll('[data-evidence-hashes]').forEach(init);
})();
