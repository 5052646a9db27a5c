using System.Runtime.InteropServices;
using System.Text;

namespace VideoAkka.Tests.Support;

/// <summary>
/// The ground truth for word timing specs: espeak-ng's library reports a word event, with its position in the audio,
/// for every word it speaks (the CLI the service runs cannot print them). Same engine, same voice, same text, so the
/// offsets are where the words lie in the service's own recording of that sentence. The library keeps global state:
/// one caller at a time.
/// </summary>
public static class EspeakWordEvents
{
    private const string Library = "libespeak-ng.so.1";
    private const int SynchronousOutput = 2, PositionCharacter = 1, Utf8 = 1, WordEvent = 1, ListTerminated = 0;
    private const int EventSize = 40, TypeOffset = 0, TextPositionOffset = 8, AudioPositionOffset = 16;

    private static readonly Lock Gate = new();

    private delegate int SynthCallback(IntPtr wav, int samples, IntPtr events);

    /// <returns>Each spoken word's (0-based character offset in <paramref name="text"/>, start in seconds).</returns>
    public static IReadOnlyList<(int Offset, double Start)> Words(string text, string voice)
    {
        lock (Gate)
        {
            var found = new List<(int, double)>();
            SynthCallback callback = (_, _, events) =>
            {
                for (var at = events; Marshal.ReadInt32(at, TypeOffset) != ListTerminated; at += EventSize)
                {
                    if (Marshal.ReadInt32(at, TypeOffset) == WordEvent)
                    {
                        found.Add((Marshal.ReadInt32(at, TextPositionOffset) - 1, Marshal.ReadInt32(at, AudioPositionOffset) / 1000.0));
                    }
                }
                return 0;
            };
            if (espeak_Initialize(SynchronousOutput, 0, null, 0) <= 0)
            {
                throw new InvalidOperationException("libespeak-ng did not initialise");
            }
            espeak_SetSynthCallback(callback);
            if (espeak_SetVoiceByName(voice) != 0)
            {
                throw new InvalidOperationException($"libespeak-ng has no voice {voice}");
            }
            var bytes = Encoding.UTF8.GetBytes(text + "\0");
            var status = espeak_Synth(bytes, (UIntPtr)bytes.Length, 0, PositionCharacter, 0, Utf8, IntPtr.Zero, IntPtr.Zero);
            espeak_Synchronize();
            GC.KeepAlive(callback);
            return status == 0 ? found : throw new InvalidOperationException($"libespeak-ng failed to speak ({status})");
        }
    }

    [DllImport(Library)]
    private static extern int espeak_Initialize(int output, int bufferLength, string? path, int options);

    [DllImport(Library)]
    private static extern void espeak_SetSynthCallback(SynthCallback callback);

    [DllImport(Library)]
    private static extern int espeak_SetVoiceByName([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Library)]
    private static extern int espeak_Synth(byte[] text, UIntPtr size, uint position, int positionType, uint endPosition, uint flags, IntPtr uniqueIdentifier, IntPtr userData);

    [DllImport(Library)]
    private static extern int espeak_Synchronize();
}
