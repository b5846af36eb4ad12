// Asks for an API key when the server wants one; the page keeps it in this
// browser and sends it as OpenAI's clients do (Authorization: Bearer).
import { useState } from "preact/hooks";

interface Props {
  error?: string;
  onSubmit: (key: string) => void;
}

export function KeyForm({ error, onSubmit }: Props) {
  const [key, setKey] = useState("");
  return (
    <form
      class="key-form card"
      onSubmit={(event) => {
        event.preventDefault();
        if (key.trim()) onSubmit(key.trim());
      }}
    >
      <h2>API key</h2>
      <p>This server asks for an API key. It stays in this browser and is sent only to this server.</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="field">
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} autoFocus />
      </div>
      <button type="submit" class="primary">
        Use this key
      </button>
    </form>
  );
}
