using System.Runtime.InteropServices;

namespace VideoAkka.Pipeline.Media.Text;

/// <summary>
/// Word boundaries from ICU's dictionary break iterator, for the scripts written without spaces between words that a
/// rule cannot split: Thai, Lao, Khmer and Myanmar. .NET runs here with invariant globalization and exposes no
/// BreakIterator anyway, so libicuuc (which .NET itself depends on for globalization on Linux, and whose data holds
/// the Thai, Lao, Khmer and Burmese dictionaries) is called directly. Debian suffixes ICU's symbols with its major
/// version, so the library is probed from new to old as .NET's own loader does. Without ICU, such text breaks only
/// at spaces.
/// </summary>
public sealed class IcuWordBreaks
{
    private const int WordBreaks = 1; // UBRK_WORD
    private const int Done = -1;      // UBRK_DONE

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr OpenFn(int type, [MarshalAs(UnmanagedType.LPStr)] string locale, IntPtr text, int length, ref int status);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int StepFn(IntPtr iterator);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void CloseFn(IntPtr iterator);

    private readonly OpenFn _open;
    private readonly StepFn _first;
    private readonly StepFn _next;
    private readonly CloseFn _close;

    private IcuWordBreaks(OpenFn open, StepFn first, StepFn next, CloseFn close) =>
        (_open, _first, _next, _close) = (open, first, next, close);

    /// <summary>The process's ICU, loaded once: a native library is process-wide, and loading never changes after.</summary>
    public static IcuWordBreaks? Shared => Loaded.Value;

    private static readonly Lazy<IcuWordBreaks?> Loaded = new(Load);

    private static IcuWordBreaks? Load()
    {
        for (var version = 90; version >= 50; version--)
        {
            if (!NativeLibrary.TryLoad($"libicuuc.so.{version}", out var library))
            {
                continue;
            }
            foreach (var suffix in new[] { $"_{version}", "" })
            {
                if (NativeLibrary.TryGetExport(library, "ubrk_open" + suffix, out var open)
                    && NativeLibrary.TryGetExport(library, "ubrk_first" + suffix, out var first)
                    && NativeLibrary.TryGetExport(library, "ubrk_next" + suffix, out var next)
                    && NativeLibrary.TryGetExport(library, "ubrk_close" + suffix, out var close))
                {
                    return new IcuWordBreaks(
                        Marshal.GetDelegateForFunctionPointer<OpenFn>(open),
                        Marshal.GetDelegateForFunctionPointer<StepFn>(first),
                        Marshal.GetDelegateForFunctionPointer<StepFn>(next),
                        Marshal.GetDelegateForFunctionPointer<CloseFn>(close));
                }
            }
        }
        return null;
    }

    /// <summary>The offsets inside <paramref name="text"/> (UTF-16, exclusive of 0 and its length) where a word
    /// boundary falls.</summary>
    public IReadOnlyList<int> Boundaries(string text)
    {
        var boundaries = new List<int>();
        if (text.Length == 0)
        {
            return boundaries;
        }
        var chars = text.ToCharArray();
        // ICU keeps a pointer to the text for the iterator's life: it stays pinned until the iterator is closed.
        var pinned = GCHandle.Alloc(chars, GCHandleType.Pinned);
        try
        {
            var status = 0;
            var iterator = _open(WordBreaks, "th", pinned.AddrOfPinnedObject(), chars.Length, ref status);
            if (status > 0 || iterator == IntPtr.Zero)
            {
                return boundaries;
            }
            try
            {
                _first(iterator);
                for (var at = _next(iterator); at != Done; at = _next(iterator))
                {
                    if (at > 0 && at < chars.Length)
                    {
                        boundaries.Add(at);
                    }
                }
            }
            finally
            {
                _close(iterator);
            }
        }
        finally
        {
            pinned.Free();
        }
        return boundaries;
    }
}
