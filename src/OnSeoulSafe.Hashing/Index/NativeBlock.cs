using System.Runtime.InteropServices;

namespace OnSeoulSafe.Hashing.Index;

/// <summary>
/// A large block of native memory for the index's arrays, on 2 MB boundaries and (on Linux) marked for transparent
/// huge pages. A query reads a few thousand places scattered over a gigabyte at 10,000,000 hashes: with 4 KB pages
/// nearly every read also misses the address translation cache and waits for a page walk, which halved the reads a
/// second in a measurement here. Freed when its owner is collected; the owner keeps itself alive while reading.
/// </summary>
internal sealed unsafe class NativeBlock<T> : SafeHandle
    where T : unmanaged
{
    private const int HugePage = 2 << 20;
    private readonly long _bytes;

    public NativeBlock(long length)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        Length = Math.Max(length, 1);
        var bytes = Length * sizeof(T);
        var huge = bytes >= HugePage;
        // Whole huge pages: the advice applies to whole pages, and the tail of a block would otherwise stay in small
        // ones. A small index (a test's, a new bank's) stays small.
        _bytes = huge ? (bytes + HugePage - 1) / HugePage * HugePage : bytes;
        SetHandle((IntPtr)NativeMemory.AlignedAlloc((nuint)_bytes, huge ? (nuint)HugePage : 64));
        GC.AddMemoryPressure(_bytes);
        // Only advice: where huge pages are off or refused the block works the same, with small pages.
        if (huge && OperatingSystem.IsLinux()) _ = HugePages.Advise(handle, (nuint)_bytes);
    }

    public long Length { get; }

    /// <summary>Bytes taken, rounded up to whole huge pages.</summary>
    public long Bytes => _bytes;

    public override bool IsInvalid => handle == IntPtr.Zero;

    public T* Pointer => (T*)handle;

    public Span<T> AsSpan(long start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Length);
        return new Span<T>(Pointer + start, length);
    }

    protected override bool ReleaseHandle()
    {
        NativeMemory.AlignedFree((void*)handle);
        GC.RemoveMemoryPressure(_bytes);
        return true;
    }
}

internal static partial class HugePages
{
    private const int MadviseHugePage = 14;

    public static int Advise(IntPtr address, nuint length) => Madvise(address, length, MadviseHugePage);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(IntPtr address, nuint length, int advice);
}
