import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// Only the Khmer-script subsets of Noto Sans Khmer (regular + semibold);
// Latin text falls back to the phone's system font, which keeps the download small.
import '@fontsource/noto-sans-khmer/khmer-400.css';
import '@fontsource/noto-sans-khmer/khmer-600.css';
import './styles.css';
import { App } from './App';
import { I18nProvider } from './i18n';
import { SessionProvider } from './session';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
