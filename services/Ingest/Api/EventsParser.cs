using System.Text.Json;
using Fanout.Contracts.Validation;
using Fanout.Ingest.Requests;

namespace Fanout.Ingest.Api;

/// <summary>Turns a parsed request body into validated events, or says why it cannot.</summary>
public delegate RequestError? EventsParser(JsonElement root, EventDataRules rules, out IReadOnlyList<EventDraft> drafts);
