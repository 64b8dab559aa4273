import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { startModels } from './model/boot'
import { ViewModelRoot } from './model/use-view-model'
import { App } from './shell/App'
import './styles.css'

const models = startModels(window.kos)
const root = document.getElementById('root')
if (!root) throw new Error('index.html lacks #root')

createRoot(root).render(
  <StrictMode>
    <ViewModelRoot models={models}>
      <App />
    </ViewModelRoot>
  </StrictMode>
)
