import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createClient } from '../../shared/contract/client'
import { ClientProvider } from './client-context'
import { App } from './shell/App'
import { AppStoreProvider } from './store/app-store-context'
import { createAppStore } from './store/app-store'
import './styles.css'

const client = createClient(window.kos)
const store = createAppStore(client)
const root = document.getElementById('root')
if (!root) throw new Error('index.html lacks #root')

createRoot(root).render(
  <StrictMode>
    <ClientProvider client={client}>
      <AppStoreProvider store={store}>
        <App />
      </AppStoreProvider>
    </ClientProvider>
  </StrictMode>
)
