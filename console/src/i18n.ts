// i18next: Spanish by default, English on the switch; the choice is remembered in this browser.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { es } from './locales/es.ts';
import { en } from './locales/en.ts';

export type Lang = 'es' | 'en';
const STORAGE_KEY = 'pasarela.lang';

function remembered(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'es';
  } catch {
    return 'es';
  }
}

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'es';
}

export function setLang(lang: Lang): void {
  void i18n.changeLanguage(lang);
}

i18n.on('languageChanged', (lang) => {
  document.documentElement.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // private mode: the choice lasts for this page only
  }
});

void i18n.use(initReactI18next).init({
  resources: { es: { translation: es }, en: { translation: en } },
  lng: remembered(),
  fallbackLng: 'es',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = currentLang();

export default i18n;
