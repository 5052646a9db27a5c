using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace VideoAkka.Http.OpenApi;

/// <summary>
/// The body of POST /orchestrate/start as JSON Schema. The handler reads the body itself (to bound and check it before
/// any model binding), so there is no type to generate it from; it is written here as JSON, which reads like the
/// README's description of the request, with samples/demo.json as its example.
/// </summary>
internal static class JobRequestSchema
{
    public const string Name = "JobRequest";

    public const string Example = """
        {
          "script": "Every morning, the harbour wakes before the town. Fishing boats slip out past the lighthouse, their engines humming low. By noon the market is full of voices, colour and the smell of the sea. And when the sun goes down, the lights come on one by one.",
          "caption": "A day in the harbour #travel #sea",
          "run_id": "demo-harbour",
          "prompts": [
            "A quiet harbour at dawn, mist over the water, fishing boats at their moorings",
            { "image": "Fishing boats passing a red and white lighthouse, morning light", "video": "slow pan following the boats", "duration": 4 },
            { "image": "A busy fish market at noon, colourful stalls, crowds", "duration": 4 },
            "The harbour at dusk, street lights reflecting on the water"
          ],
          "options": { "aspect": "9:16", "voice": "en" }
        }
        """;

    private const string Json = """
        {
          "type": "object",
          "description": "A narration script and the scenes to show while it is spoken. Fields not listed here are kept with the job (as `payload`) but not read.",
          "required": ["script", "prompts"],
          "properties": {
            "script": { "type": "string", "minLength": 1, "maxLength": 20000, "description": "Narration, spoken as the voiceover and shown as subtitles. No control characters other than tab and line breaks." },
            "caption": { "type": "string", "maxLength": 4000, "description": "Optional caption (hashtags and the like), kept with the job." },
            "run_id": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", "description": "Names the job's folder (DATA_SHARED_BASE/{run_id}/). Without one, the job id is used. Only one queued or running job may hold a run_id (409 `run-id-busy`)." },
            "prompts": {
              "type": "array", "minItems": 1, "maxItems": 100,
              "description": "The scenes, in order: each a plain image prompt or a scene object.",
              "items": { "oneOf": [
                { "type": "string", "minLength": 1, "maxLength": 4000, "description": "An image prompt; the clip is made from the image." },
                { "$ref": "#/components/schemas/ScenePrompt" }
              ] }
            },
            "options": { "$ref": "#/components/schemas/JobOptions" }
          }
        }
        """;

    private const string SceneJson = """
        {
          "type": "object",
          "description": "One scene. `image` is required unless `image_url` or `image_file` gives the image, or `clip_file` the whole clip; a scene whose clip is made by the model then needs `video`.",
          "properties": {
            "image": { "type": "string", "minLength": 1, "maxLength": 4000, "description": "The image prompt." },
            "video": { "type": "string", "minLength": 1, "maxLength": 4000, "description": "The motion prompt for the clip (image-to-video)." },
            "duration": { "type": "number", "minimum": 0.25, "maximum": 60, "description": "Seconds the scene lasts (default videoakka.output.scene-duration, 4)." },
            "image_url": { "type": "string", "format": "uri", "description": "An http(s) image to use instead of generating one: no user name or password in it; loopback, private and link-local addresses are refused." },
            "image_file": { "type": "string", "description": "The plain name of an image already in the run's folder (.png, .jpg, .jpeg, .webp; no path)." },
            "clip_file": { "type": "string", "description": "The plain name of a video already in the run's folder (.mp4, .mov, .m4v, .webm, .mkv; no path) to use as the scene's clip; not with image_url, image_file, motion or video." },
            "motion": { "type": "string", "enum": ["model", "kenburns"], "description": "`model`: the clip is made by image-to-video on ComfyUI (default); `kenburns`: a slow pan and zoom over the image, made with ffmpeg." },
            "seed": { "type": "integer", "minimum": 0, "maximum": 9007199254740991, "description": "This scene's generation seed." },
            "text": { "type": "string", "minLength": 1, "description": "The narration this scene illustrates: when every scene has one, each scene lasts as long as its text is spoken; otherwise scenes share the narration equally." }
          }
        }
        """;

    private const string OptionsJson = """
        {
          "type": "object",
          "description": "How the video is made; every field is optional.",
          "properties": {
            "aspect": { "type": "string", "enum": ["9:16", "16:9", "1:1"], "default": "9:16", "description": "9:16 is 1080x1920, 16:9 is 1920x1080, 1:1 is 1080x1080." },
            "fps": { "type": "integer", "minimum": 1, "maximum": 60, "default": 30 },
            "voice": {
              "description": "Who speaks the script. A string is an espeak-ng voice such as en, en-us or en+f3 (default: videoakka.output.voice, en). An object picks an engine this service has configured (videoakka.tts); any other engine is refused with 400 naming options.voice.engine.",
              "oneOf": [
                { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_+-]{0,39}$" },
                {
                  "type": "object",
                  "properties": {
                    "engine": { "type": "string", "default": "espeak", "description": "espeak (always), openai (an OpenAI-compatible POST /v1/audio/speech, when configured), comfyui (a ComfyUI speech workflow, when COMFYUI_URL and videoakka.comfyui.speech are set)." },
                    "name": { "type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$", "description": "The engine's voice (espeak-ng: an espeak-ng voice name; openai: alloy, nova, Kokoro's af_bella, ...; comfyui: a speech workflow's name such as kokoro, required). Default: the engine's configured voice." },
                    "rate": { "type": "number", "minimum": 0.5, "maximum": 2, "default": 1, "description": "Pace as a multiple of the voice's normal one." }
                  }
                }
              ]
            },
            "voiceover": { "type": "boolean", "default": true, "description": "false skips the voiceover; the subtitles are then spread over the clips from the script alone." },
            "seed": { "type": "integer", "minimum": 0, "maximum": 9007199254740991, "description": "Fixes every scene's seed: scene N gets seed + N - 1. Otherwise each scene gets a random seed, recorded in manifest.json." },
            "clip_file": { "type": "string", "description": "The plain name of a video already in the run's folder (.mp4, .mov, .m4v, .webm, .mkv; no path) to use as the scene's clip; not with image_url, image_file, motion or video." },
            "motion": { "type": "string", "enum": ["model", "kenburns"], "description": "Sets every scene's motion." },
            "subtitles": {
              "type": "object",
              "additionalProperties": false,
              "description": "Caption mode and style (burned in from subtitles.ass). Sizes and margins are pixels of the 1080p frame of the video's shape; unset fields take that shape's defaults.",
              "properties": {
                "mode": { "type": "string", "enum": ["sentence", "karaoke", "word"], "default": "sentence", "description": "sentence: each spoken piece; karaoke: the piece with the word being spoken highlighted; word: one word at a time." },
                "style": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "font": { "type": "string", "pattern": "^[\\p{L}\\p{N} ._-]{1,64}$", "default": "DejaVu Sans" },
                    "size": { "type": "integer", "minimum": 8, "maximum": 400, "description": "Default 64 on 9:16, 56 otherwise." },
                    "primary_colour": { "type": "string", "pattern": "^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$", "description": "#RRGGBB or #RRGGBBAA (AA opacity, FF opaque)." },
                    "outline_colour": { "type": "string", "pattern": "^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$", "description": "#RRGGBB or #RRGGBBAA (AA opacity, FF opaque)." },
                    "highlight_colour": { "type": "string", "pattern": "^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$", "description": "#RRGGBB or #RRGGBBAA (AA opacity, FF opaque)." },
                    "outline": { "type": "number", "minimum": 0, "maximum": 20, "default": 4 },
                    "box": { "type": "boolean", "default": false, "description": "Text on a box of box_colour, padded by outline." },
                    "box_colour": { "type": "string", "pattern": "^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$", "description": "#RRGGBB or #RRGGBBAA (AA opacity, FF opaque)." },
                    "position": { "type": "string", "enum": ["bottom", "center", "top"], "default": "bottom" },
                    "margin": { "type": "integer", "minimum": 0, "maximum": 900, "description": "From the edge of the position; bottom on 9:16 defaults to 440 (clear of the bottom 20 %)." },
                    "uppercase": { "type": "boolean", "default": false },
                    "max_chars": { "type": "integer", "minimum": 8, "maximum": 80, "description": "Per line; default 22 on 9:16, 30 on 1:1, 42 on 16:9." },
                    "max_lines": { "type": "integer", "minimum": 1, "maximum": 2, "default": 2 }
                  }
                }
              }
            },
            "fit": { "type": "string", "enum": ["cover", "contain"], "default": "cover", "description": "A clip of another shape covers the frame (cropped) or fits inside it (padded black)." },
            "clip_fill": { "type": "string", "enum": ["hold", "loop"], "default": "hold", "description": "A clip shorter than its scene holds its last frame or loops; a longer one is cut." },
            "transition": { "description": "Between scenes: \"none\" (cuts, default), \"fade\" (0.5 s crossfade), or {\"type\": \"fade\", \"duration\": 0.1 to 3}.", "oneOf": [
              { "type": "string", "enum": ["none", "fade"] },
              { "type": "object", "properties": { "type": { "type": "string", "enum": ["none", "fade"] }, "duration": { "type": "number", "minimum": 0.1, "maximum": 3 } } } ] },
            "music": { "type": "string", "maxLength": 2048, "description": "Music under the narration, ducked while the voice speaks: an http(s) URL (the image_url rules), a plain audio file name in the run's folder (.mp3, .wav, .m4a, .aac, .ogg, .opus, .flac), or a name from the music folder (videoakka.inputs.music.folder)." }
          }
        }
        """;

    /// <summary>Adds the request's schemas to the document's components (once).</summary>
    public static void AddTo(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (document.Components.Schemas.ContainsKey(Name))
        {
            return;
        }
        document.AddComponent<IOpenApiSchema>("ScenePrompt", Parse(SceneJson, document));
        document.AddComponent<IOpenApiSchema>("JobOptions", Parse(OptionsJson, document));
        document.AddComponent<IOpenApiSchema>(Name, Parse(Json, document));
    }

    private static OpenApiSchema Parse(string json, OpenApiDocument document) =>
        OpenApiModelFactory.Parse<OpenApiSchema>(json, OpenApiSpecVersion.OpenApi3_1, document, out _, "json")
        ?? throw new InvalidOperationException("the job request schema does not parse");
}
