// PDQ perceptual hashing in the browser (Meta's PDQ, written here from the published algorithm): 256 bits and a
// quality score from an image's pixels, computed on the person's own device. Float32 arithmetic (Math.fround) as the
// reference computes it, so the same pixels give the same bits. Also: the 8 dihedral hashes from the same DCT, one
// hash per second of a video (vPDQ-style), and pixel access that undoes the EXIF rotation Chromium applies, since the
// reference hashes the stored pixels.
(function (global) {
    'use strict';
    var f = Math.fround;
    var LUMA_R = f(0.299), LUMA_G = f(0.587), LUMA_B = f(0.114);
    var MIN_HASHABLE_DIM = 5;
    var MAX_PIXELS = 50 * 1000 * 1000;
    var VIDEO_MAX_FRAMES = 3600;
    var VIDEO_TIME_LIMIT_MS = 10 * 60 * 1000;
    var VIDEO_STEP_TIMEOUT_MS = 30 * 1000;
    // Frames larger than this are drawn scaled down (PDQ's own filter downscales to 64x64 anyway).
    var VIDEO_MAX_FRAME_PIXELS = 1920 * 1080;

    var DCT = (function () {
        var d = new Float32Array(16 * 64);
        var scale = Math.sqrt(2.0 / 64.0);
        for (var i = 0; i < 16; i++) {
            for (var j = 0; j < 64; j++) {
                d[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64.0) * (i + 1) * (2 * j + 1));
            }
        }
        return d;
    })();

    function PdqError(code, message) {
        this.name = 'PdqError';
        this.code = code;
        this.message = message || code;
    }
    PdqError.prototype = Object.create(Error.prototype);

    // Luma from RGBA bytes (alpha ignored, as the reference drops it without compositing).
    function lumaFromRgba(rgba, width, height) {
        var n = width * height;
        var luma = new Float32Array(n);
        for (var p = 0, q = 0; p < n; p++, q += 4) {
            luma[p] = f(f(f(LUMA_R * rgba[q]) + f(LUMA_G * rgba[q + 1])) + f(LUMA_B * rgba[q + 2]));
        }
        return luma;
    }

    // Box filter over one line of samples: the mean of in[p-(w-h) .. p+h-1], clipped, with a running float sum.
    function box1D(input, output, offset, length, stride, window) {
        var half = ((window + 2) / 2) | 0;
        var phase1 = half - 1;
        var phase2 = window - half + 1;
        var phase3 = length - window;
        var phase4 = half - 1;
        var li = offset, ri = offset, oi = offset;
        var sum = 0, count = 0, i;
        for (i = 0; i < phase1; i++) {
            sum = f(sum + input[ri]);
            count++;
            ri += stride;
        }
        for (i = 0; i < phase2; i++) {
            sum = f(sum + input[ri]);
            count++;
            output[oi] = sum / count;
            ri += stride;
            oi += stride;
        }
        for (i = 0; i < phase3; i++) {
            sum = f(sum + input[ri]);
            sum = f(sum - input[li]);
            output[oi] = sum / count;
            li += stride;
            ri += stride;
            oi += stride;
        }
        for (i = 0; i < phase4; i++) {
            sum = f(sum - input[li]);
            count--;
            output[oi] = sum / count;
            li += stride;
            oi += stride;
        }
    }

    // Two passes of rows-then-columns box filters (a tent filter), in place in buffer1.
    function jarosz(buffer1, buffer2, rows, cols) {
        var windowAlongRows = ((cols + 127) / 128) | 0;
        var windowAlongCols = ((rows + 127) / 128) | 0;
        for (var pass = 0; pass < 2; pass++) {
            for (var r = 0; r < rows; r++) box1D(buffer1, buffer2, r * cols, cols, 1, windowAlongRows);
            for (var c = 0; c < cols; c++) box1D(buffer2, buffer1, c, rows, cols, windowAlongCols);
        }
    }

    function decimate(input, rows, cols) {
        var out = new Float32Array(64 * 64);
        for (var i = 0; i < 64; i++) {
            var ini = Math.floor(((i + 0.5) * rows) / 64);
            for (var j = 0; j < 64; j++) {
                var inj = Math.floor(((j + 0.5) * cols) / 64);
                out[i * 64 + j] = input[ini * cols + inj];
            }
        }
        return out;
    }

    function quality(buffer) {
        var sum = 0, i, j, d;
        for (i = 0; i < 63; i++) {
            for (j = 0; j < 64; j++) {
                d = Math.trunc(f(f(f(buffer[i * 64 + j] - buffer[(i + 1) * 64 + j]) * 100) / 255));
                sum += Math.abs(d);
            }
        }
        for (i = 0; i < 64; i++) {
            for (j = 0; j < 63; j++) {
                d = Math.trunc(f(f(f(buffer[i * 64 + j] - buffer[i * 64 + j + 1]) * 100) / 255));
                sum += Math.abs(d);
            }
        }
        return Math.min(100, Math.floor(sum / 90));
    }

    // B = D A D^T (16x16 of the 64x64 buffer), as T = D A, then B[i][j] = sum_k T[i][k] D[j][k], float sums in k order.
    function dct(buffer) {
        var t = new Float32Array(16 * 64);
        var b = new Float32Array(16 * 16);
        var i, j, k, sum;
        for (i = 0; i < 16; i++) {
            for (j = 0; j < 64; j++) {
                sum = 0;
                for (k = 0; k < 64; k++) sum = f(sum + f(DCT[i * 64 + k] * buffer[k * 64 + j]));
                t[i * 64 + j] = sum;
            }
        }
        for (i = 0; i < 16; i++) {
            for (j = 0; j < 16; j++) {
                sum = 0;
                for (k = 0; k < 64; k++) sum = f(sum + f(t[i * 64 + k] * DCT[j * 64 + k]));
                b[i * 16 + j] = sum;
            }
        }
        return b;
    }

    // Bit 16i+j is set when B[i][j] is above the lower median; printed as 16 words, word 15 first.
    function toHex(b) {
        var sorted = Float32Array.from(b).sort();
        var median = sorted[127];
        var hex = '';
        for (var w = 15; w >= 0; w--) {
            var word = 0;
            for (var j = 0; j < 16; j++) {
                if (b[w * 16 + j] > median) word |= 1 << j;
            }
            hex += word.toString(16).padStart(4, '0');
        }
        return hex;
    }

    var ZERO_HASH = '0'.repeat(64);

    // The 64x64 buffer from luma (rows x cols), or null when the image is too small to hash.
    function buffer64(luma, rows, cols) {
        if (rows < MIN_HASHABLE_DIM || cols < MIN_HASHABLE_DIM) return null;
        if (rows === 64 && cols === 64) return luma;
        var scratch = new Float32Array(rows * cols);
        jarosz(luma, scratch, rows, cols);
        return decimate(luma, rows, cols);
    }

    function fromLuma(luma, width, height) {
        var buffer = buffer64(luma, height, width);
        if (!buffer) return { hash: ZERO_HASH, quality: 0 };
        return { hash: toHex(dct(buffer)), quality: quality(buffer) };
    }

    function fromRgba(rgba, width, height) {
        return fromLuma(lumaFromRgba(rgba, width, height), width, height);
    }

    // Rotations and flips from the DCT by sign changes and transposes, as the reference computes them.
    // Each: transpose?, and which index parity flips the sign (row frequency i, column frequency j).
    var DIHEDRAL = {
        original: function (i, j, a) { return a; },
        rotate90: function (i, j, a) { return (j & 1) ? a : -a; },
        rotate180: function (i, j, a) { return ((i + j) & 1) ? -a : a; },
        rotate270: function (i, j, a) { return (i & 1) ? a : -a; },
        flipx: function (i, j, a) { return (i & 1) ? a : -a; },
        flipy: function (i, j, a) { return (j & 1) ? a : -a; },
        flipplus1: function (i, j, a) { return a; },
        flipminus1: function (i, j, a) { return ((i + j) & 1) ? -a : a; }
    };
    var TRANSPOSED = { rotate90: true, rotate270: true, flipplus1: true, flipminus1: true };

    function dihedralFromRgba(rgba, width, height) {
        var luma = lumaFromRgba(rgba, width, height);
        var buffer = buffer64(luma, height, width);
        var result = {};
        if (!buffer) {
            Object.keys(DIHEDRAL).forEach(function (name) { result[name] = { hash: ZERO_HASH, quality: 0 }; });
            return result;
        }
        var q = quality(buffer);
        var b = dct(buffer);
        Object.keys(DIHEDRAL).forEach(function (name) {
            var out = new Float32Array(256);
            for (var i = 0; i < 16; i++) {
                for (var j = 0; j < 16; j++) {
                    var value = DIHEDRAL[name](i, j, b[i * 16 + j]);
                    if (TRANSPOSED[name]) out[j * 16 + i] = value; else out[i * 16 + j] = value;
                }
            }
            result[name] = { hash: toHex(out), quality: q };
        });
        return result;
    }

    function distance(a, b) {
        var d = 0;
        for (var i = 0; i < 64; i += 8) {
            var x = parseInt(a.substring(i, i + 8), 16) ^ parseInt(b.substring(i, i + 8), 16);
            while (x) { x &= x - 1; d++; }
        }
        return d;
    }

    // --- Reading pictures -------------------------------------------------------------------------------------

    async function head(blob, bytes) {
        return new Uint8Array(await blob.slice(0, bytes).arrayBuffer());
    }

    function u16(b, p, little) { return little ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1]; }
    function u32(b, p, little) {
        return little ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 16777216
            : b[p] * 16777216 + ((b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]);
    }

    // The EXIF Orientation tag in an APP1 segment (1 when absent or unreadable).
    function exifOrientation(b, start, end) {
        if (end - start < 14 || b[start] !== 0x45 || b[start + 1] !== 0x78 || b[start + 2] !== 0x69 || b[start + 3] !== 0x66) return 1;
        var tiff = start + 6;
        var little = b[tiff] === 0x49;
        if (!little && b[tiff] !== 0x4d) return 1;
        var ifd = tiff + u32(b, tiff + 4, little);
        if (ifd + 2 > end) return 1;
        var count = u16(b, ifd, little);
        for (var e = 0; e < count; e++) {
            var entry = ifd + 2 + e * 12;
            if (entry + 12 > end) return 1;
            if (u16(b, entry, little) === 0x0112) {
                var value = u16(b, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    // Dimensions (and the JPEG's EXIF orientation) read from the file's header, before anything is decoded, so a
    // decompression bomb is refused without allocating its pixels. Null when the format is not one read here.
    function header(b) {
        if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
            return { format: 'png', width: u32(b, 16, false), height: u32(b, 20, false), orientation: 1 };
        }
        if (b.length >= 10 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46) {
            return { format: 'gif', width: u16(b, 6, true), height: u16(b, 8, true), orientation: 1 };
        }
        if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) {
            return { format: 'bmp', width: Math.abs(u32(b, 18, true) | 0), height: Math.abs(u32(b, 22, true) | 0), orientation: 1 };
        }
        if (b.length >= 30 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) {
            var chunk = String.fromCharCode(b[12], b[13], b[14], b[15]);
            if (chunk === 'VP8X') return { format: 'webp', width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)), orientation: 1 };
            if (chunk === 'VP8L') return { format: 'webp', width: 1 + (b[21] | ((b[22] & 0x3f) << 8)), height: 1 + ((b[22] >> 6) | (b[23] << 2) | ((b[24] & 0x0f) << 10)), orientation: 1 };
            if (chunk === 'VP8 ') return { format: 'webp', width: u16(b, 26, true) & 0x3fff, height: u16(b, 28, true) & 0x3fff, orientation: 1 };
            return null;
        }
        if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
            var p = 2, orientation = 1;
            while (p + 4 <= b.length) {
                if (b[p] !== 0xff) return null;
                var marker = b[p + 1];
                if (marker === 0xff) { p++; continue; }
                if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { p += 2; continue; }
                var length = u16(b, p + 2, false);
                if (marker === 0xe1) orientation = exifOrientation(b, p + 4, Math.min(b.length, p + 2 + length));
                if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
                    if (p + 9 > b.length) return null;
                    return { format: 'jpeg', width: u16(b, p + 7, false), height: u16(b, p + 5, false), orientation: orientation };
                }
                if (marker === 0xda || marker === 0xd9) return null;
                p += 2 + length;
            }
            return null;
        }
        return null;
    }

    // Puts pixels shown with EXIF orientation back into the order they are stored in, as the reference reads them.
    function unorient(rgba, width, height, orientation) {
        if (orientation === 1) return { data: rgba, width: width, height: height };
        var swapped = orientation >= 5;
        var sw = swapped ? height : width, sh = swapped ? width : height;
        var out = new Uint8ClampedArray(sw * sh * 4);
        for (var ys = 0; ys < sh; ys++) {
            for (var xs = 0; xs < sw; xs++) {
                var xd, yd;
                switch (orientation) {
                    case 2: xd = sw - 1 - xs; yd = ys; break;
                    case 3: xd = sw - 1 - xs; yd = sh - 1 - ys; break;
                    case 4: xd = xs; yd = sh - 1 - ys; break;
                    case 5: xd = ys; yd = xs; break;
                    case 6: xd = sh - 1 - ys; yd = xs; break;
                    case 7: xd = sh - 1 - ys; yd = sw - 1 - xs; break;
                    default: xd = ys; yd = sw - 1 - xs; break;
                }
                var from = (yd * width + xd) * 4, to = (ys * sw + xs) * 4;
                out[to] = rgba[from];
                out[to + 1] = rgba[from + 1];
                out[to + 2] = rgba[from + 2];
                out[to + 3] = rgba[from + 3];
            }
        }
        return { data: out, width: sw, height: sh };
    }

    function canvas(width, height) {
        if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
        var c = document.createElement('canvas');
        c.width = width;
        c.height = height;
        return c;
    }

    function pixelsOf(source, width, height, drawWidth, drawHeight) {
        var c = canvas(drawWidth || width, drawHeight || height);
        var context = c.getContext('2d', { willReadFrequently: true });
        context.drawImage(source, 0, 0, c.width, c.height);
        return context.getImageData(0, 0, c.width, c.height).data;
    }

    // The stored pixels of a picture file: no colour conversion (ICC profiles are ignored, as by the reference),
    // no EXIF rotation (undone when the browser applied it), first frame of an animation, at most MAX_PIXELS.
    async function pixels(blob, maxPixels) {
        var limit = maxPixels || MAX_PIXELS;
        if (!blob || blob.size === 0) throw new PdqError('undecodable');
        var info = header(await head(blob, 256 * 1024));
        if (info && info.width * info.height > limit) throw new PdqError('too-large');
        if (info && (info.width === 0 || info.height === 0)) throw new PdqError('undecodable');
        var bitmap;
        try {
            bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'from-image' });
        } catch (e) {
            throw new PdqError('undecodable');
        }
        try {
            if (bitmap.width * bitmap.height > limit) throw new PdqError('too-large');
            var data = pixelsOf(bitmap, bitmap.width, bitmap.height);
            var orientation = info ? info.orientation : 1;
            // Chromium rotates by the EXIF tag whatever imageOrientation says; a browser that did not rotate a
            // quarter-turn image keeps the header's width and height, and then nothing is undone.
            if (orientation >= 5 && info && bitmap.width === info.width && bitmap.height === info.height && info.width !== info.height) orientation = 1;
            return unorient(data, bitmap.width, bitmap.height, orientation);
        } finally {
            bitmap.close();
        }
    }

    async function fromBlob(blob, options) {
        var p = await pixels(blob, options && options.maxPixels);
        return fromRgba(p.data, p.width, p.height);
    }

    // --- Video: one hash per second through a <video> element and a canvas ---------------------------------------

    // Resolves on the event; a decoder that never answers counts as a file that cannot be opened, so the form
    // waiting on it is never held forever.
    function once(target, event, failEvent) {
        return new Promise(function (resolve, reject) {
            var timer = setTimeout(fail, VIDEO_STEP_TIMEOUT_MS);
            function ok() { cleanup(); resolve(); }
            function fail() { cleanup(); reject(new PdqError('undecodable')); }
            function cleanup() {
                clearTimeout(timer);
                target.removeEventListener(event, ok);
                if (failEvent) target.removeEventListener(failEvent, fail);
            }
            target.addEventListener(event, ok);
            if (failEvent) target.addEventListener(failEvent, fail);
        });
    }

    // Hashes the frame shown at each whole second (0, 1, 2, ...), at most maxFrames of them and for at most
    // timeLimitMs; onProgress(done, total) after each. Resolves { frames: [{second, hash, quality}], total, truncated }.
    async function videoFrames(blob, options) {
        options = options || {};
        var maxFrames = options.maxFrames || VIDEO_MAX_FRAMES;
        var timeLimit = options.timeLimitMs || VIDEO_TIME_LIMIT_MS;
        if (!blob || blob.size === 0) throw new PdqError('undecodable');
        var video = document.createElement('video');
        video.muted = true;
        video.playsInline = true;
        video.preload = 'auto';
        var url = URL.createObjectURL(blob);
        try {
            var loaded = once(video, 'loadeddata', 'error');
            video.src = url;
            await loaded;
            var duration = video.duration;
            if (!isFinite(duration) || duration <= 0 || !video.videoWidth || !video.videoHeight) throw new PdqError('undecodable');
            var seconds = Math.ceil(duration);
            var total = Math.min(seconds, maxFrames);
            var width = video.videoWidth, height = video.videoHeight;
            var scale = Math.min(1, Math.sqrt(VIDEO_MAX_FRAME_PIXELS / (width * height)));
            var drawWidth = Math.max(1, Math.round(width * scale)), drawHeight = Math.max(1, Math.round(height * scale));
            var started = Date.now();
            var frames = [];
            for (var s = 0; s < total; s++) {
                if (Date.now() - started > timeLimit) break;
                var seeked = once(video, 'seeked', 'error');
                video.currentTime = s;
                await seeked;
                var hashed = fromRgba(pixelsOf(video, width, height, drawWidth, drawHeight), drawWidth, drawHeight);
                frames.push({ second: s, hash: hashed.hash, quality: hashed.quality });
                if (options.onProgress) options.onProgress(frames.length, total);
            }
            if (frames.length === 0) throw new PdqError('undecodable');
            return { frames: frames, total: seconds, truncated: frames.length < seconds };
        } finally {
            video.removeAttribute('src');
            video.load();
            URL.revokeObjectURL(url);
        }
    }

    global.Pdq = {
        MAX_PIXELS: MAX_PIXELS,
        VIDEO_MAX_FRAMES: VIDEO_MAX_FRAMES,
        PdqError: PdqError,
        fromRgba: fromRgba,
        dihedralFromRgba: dihedralFromRgba,
        fromBlob: fromBlob,
        pixels: pixels,
        header: header,
        videoFrames: videoFrames,
        distance: distance
    };
})(window);
