using System.Text.Json.Nodes;

namespace VideoAkka.Fakes;

/// <summary>The in-memory history of execution.py's PromptQueue. Not thread-safe: used under the state lock.</summary>
internal sealed class HistoryBook
{
    private const int MaximumHistorySize = 10000;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, JsonObject> _entries = new(StringComparer.Ordinal);

    /// <summary>A re-used prompt id replaces its entry where it stood, as a Python dict assignment does.</summary>
    public void Put(string promptId, JsonObject entry)
    {
        if (!_entries.ContainsKey(promptId))
        {
            _order.Add(promptId);
        }
        _entries[promptId] = entry;
        while (_order.Count > MaximumHistorySize)
        {
            _entries.Remove(_order[0]);
            _order.RemoveAt(0);
        }
    }

    /// <summary>GET /history/{id}: <c>{}</c> for unknown, pending and running ids alike.</summary>
    public JsonObject One(string promptId)
    {
        var result = new JsonObject();
        if (_entries.TryGetValue(promptId, out var entry))
        {
            result[promptId] = entry.DeepClone();
        }
        return result;
    }

    /// <summary>GET /history: oldest first; max_items alone gives the newest N, with offset it counts from the oldest.</summary>
    public JsonObject Many(int? maxItems, int offset)
    {
        if (offset < 0 && maxItems is { } max)
        {
            offset = _order.Count - max;
        }
        var result = new JsonObject();
        foreach (var id in _order.Skip(Math.Max(offset, 0)))
        {
            if (maxItems is { } limit && result.Count >= limit)
            {
                break;
            }
            result[id] = _entries[id].DeepClone();
        }
        return result;
    }

    public void Delete(string promptId)
    {
        if (_entries.Remove(promptId))
        {
            _order.Remove(promptId);
        }
    }

    public void Clear()
    {
        _entries.Clear();
        _order.Clear();
    }
}
