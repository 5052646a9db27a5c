using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>The error bodies of POST /prompt, shaped as recorded (06_validation_errors.json).</summary>
internal static class ComfyErrors
{
    public static JsonObject Body(string type, string message, string details, JsonObject? nodeErrors = null) => new()
    {
        ["error"] = new JsonObject
        {
            ["type"] = type,
            ["message"] = message,
            ["details"] = details,
            ["extra_info"] = new JsonObject(),
        },
        ["node_errors"] = nodeErrors ?? new JsonObject(),
    };

    public static JsonObject NoPrompt() => Body("no_prompt", "No prompt provided", "No prompt provided");

    public static JsonObject MissingClassType(string nodeId) =>
        Body("invalid_prompt", "Cannot execute because a node is missing the class_type property.", $"Node ID '#{nodeId}'");

    public static JsonObject UnknownClass(string classType, string nodeId) =>
        Body("invalid_prompt", $"Cannot execute because node {classType} does not exist.", $"Node ID '#{nodeId}'");

    public static JsonObject NoOutputs() => Body("prompt_no_outputs", "Prompt has no outputs", "");

    /// <summary>One entry of a node's <c>errors</c> list.</summary>
    public static JsonObject InputError(string type, string message, string details, string? inputName) => new()
    {
        ["type"] = type,
        ["message"] = message,
        ["details"] = details,
        ["extra_info"] = inputName is null ? new JsonObject() : new JsonObject { ["input_name"] = inputName },
    };

    public static JsonObject InvalidImageFile(string value) =>
        InputError("custom_validation_failed", "Custom validation failed for node", $"image - Invalid image file: {value}", "image");

    /// <summary>A link to a node id that is not in the prompt: a KeyError inside the real validate_inputs.</summary>
    public static JsonObject MissingLinkedNode(string missingId) => new()
    {
        ["type"] = "exception_during_validation",
        ["message"] = "Exception when validating node",
        ["details"] = $"'{missingId}'",
        ["extra_info"] = new JsonObject
        {
            ["exception_type"] = "KeyError",
            ["traceback"] = new JsonArray(
                "  File \"/opt/ComfyUI/execution.py\", line 1010, in validate_prompt\n    m = await validate_inputs(prompt_id, prompt, o, validated)\n",
                "  File \"/opt/ComfyUI/execution.py\", line 788, in validate_inputs\n    o_class_type = prompt[o_id]['class_type']\n"),
        },
    };
}
