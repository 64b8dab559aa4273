/**
 * The environment of a core under test: model servers on a port where nothing
 * listens (9, discard) and no supervised server started, so a test never
 * reaches, or starts, an Ollama that happens to run on the developer's Mac,
 * nor downloads a model.
 */
export const OFFLINE_ENV: Readonly<Record<string, string>> = {
  KOS_OLLAMA_API_URL: 'http://127.0.0.1:9',
  KOS_MLX_API_URL: 'http://127.0.0.1:9',
  KOS_SUPERVISOR_OLLAMA: 'off',
  KOS_SUPERVISOR_MLX: 'off',
  // Setup's model downloads go to the same closed port, never to the Internet.
  KOS_ONBOARDING_EMBEDDED_CHAT_URL: 'http://127.0.0.1:9/chat.gguf',
  KOS_ONBOARDING_EMBEDDED_EMBEDDING_URL: 'http://127.0.0.1:9/embedding.gguf'
}
