// i18n.js — the UI text, as one dictionary per language (en, ja): here the shell's and the
// shared messages (tiers, roles, data types, table columns, errors); each page module brings
// its own and app.js adds them with registerMessages(). Code refers to text only by key;
// placeholders are written {name} and filled by translate(). Server data (names, titles,
// server error messages) is never translated here.

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'ja', label: '日本語' },
];

export const messages = {
  en: {
    'app.name': 'genoshare',
    'app.tagline': 'Clinical genomics data sharing',
    'title.page': '{page} — genoshare',
    'lang.label': 'Language',
    'nav.label': 'Main navigation',
    'user.label': 'Signed in as',
    'user.roles': 'Roles',
    'logout': 'Sign out',
    'skip': 'Skip to content',
    'loading': 'Loading…',
    'footer.version': 'genoshare version {version}',

    'login.title': 'Sign in',
    'login.intro': 'Sign in with your genoshare account to see the datasets you may access.',
    'login.user': 'User name',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.pending': 'Signing in…',
    'login.failed': 'The user name or password is not correct.',

    'col.name': 'Name',
    'col.title': 'Title',
    'col.tier': 'Tier',
    'col.dataType': 'Data type',
    'col.records': 'Records',

    'tier.restricted': 'Restricted',
    'tier.controlled': 'Controlled',
    'tier.open': 'Open',

    'role.admin': 'Administrator',
    'role.member': 'Member',
    'role.submitter': 'Submitter',
    'role.curator': 'Curator',
    'role.dac': 'Data access committee',

    'dataType.phenotype_clinical': 'Phenotype / clinical',
    'dataType.variants': 'Variants',
    'dataType.sequence': 'Germline / somatic sequence',
    'dataType.somatic_mutations': 'Somatic mutations',
    'dataType.expression_epigenome': 'Expression / epigenome',
    'dataType.microbial_genomes': 'Microbial genomes',

    'error.rateLimited': 'Too many attempts, try again later.',
    'error.network': 'The server could not be reached. Check your connection and try again.',
    'error.generic': 'Something went wrong (HTTP {status}).',
    'error.sessionExpired': 'Your session has ended. Please sign in again.',
    'error.logout': 'Signing out failed. Please try again.',
  },

  ja: {
    'app.name': 'genoshare',
    'app.tagline': '臨床ゲノムデータ共有',
    'title.page': '{page} — genoshare',
    'lang.label': '言語',
    'nav.label': 'メインメニュー',
    'user.label': 'ログイン中',
    'user.roles': 'ロール',
    'logout': 'ログアウト',
    'skip': '本文へ移動',
    'loading': '読み込み中…',
    'footer.version': 'genoshare バージョン {version}',

    'login.title': 'ログイン',
    'login.intro': 'genoshare アカウントでログインすると、利用できるデータセットが表示されます。',
    'login.user': 'ユーザー名',
    'login.password': 'パスワード',
    'login.submit': 'ログイン',
    'login.pending': 'ログインしています…',
    'login.failed': 'ユーザー名またはパスワードが正しくありません。',

    'col.name': '名前',
    'col.title': 'タイトル',
    'col.tier': '区分',
    'col.dataType': 'データ種別',
    'col.records': '件数',

    'tier.restricted': '制限共有',
    'tier.controlled': '制限公開',
    'tier.open': '非制限公開',

    'role.admin': '管理者',
    'role.member': 'メンバー',
    'role.submitter': 'データ登録者',
    'role.curator': 'キュレーター',
    'role.dac': 'データアクセス委員会',

    'dataType.phenotype_clinical': '表現型・臨床情報',
    'dataType.variants': 'バリアント',
    'dataType.sequence': '生殖細胞系列・体細胞系列の配列',
    'dataType.somatic_mutations': '体細胞変異',
    'dataType.expression_epigenome': '発現・エピゲノム',
    'dataType.microbial_genomes': '微生物ゲノム',

    'error.rateLimited': '試行回数が多すぎます。しばらくしてからもう一度お試しください。',
    'error.network': 'サーバーに接続できません。接続を確認してもう一度お試しください。',
    'error.generic': 'エラーが発生しました (HTTP {status})。',
    'error.sessionExpired': 'セッションが終了しました。もう一度ログインしてください。',
    'error.logout': 'ログアウトに失敗しました。もう一度お試しください。',
  },
};

// 'ja', 'ja-JP' … → Japanese; anything else → English.
export function languageFromBrowser(tag) {
  return typeof tag === 'string' && tag.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

// Adds a page module's text (en and ja: same keys, string values). Throws, changing nothing,
// if a key is already defined by the shell or another page, or is missing in one language.
export function registerMessages(en, ja) {
  const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const english = en || {};
  const japanese = ja || {};
  for (const [language, dictionary, other] of [['en', english, japanese], ['ja', japanese, english]]) {
    for (const [key, text] of Object.entries(dictionary)) {
      if (has(messages[language], key)) throw new Error(`i18n: message "${key}" is defined twice`);
      if (!has(other, key)) throw new Error(`i18n: message "${key}" has no ${language === 'en' ? 'ja' : 'en'} text`);
      if (typeof text !== 'string') throw new Error(`i18n: message "${key}" (${language}) is not a string`);
    }
  }
  Object.assign(messages.en, english);
  Object.assign(messages.ja, japanese);
}

// True if key has a text (in English, which every key has).
export function hasMessage(key) {
  return Object.prototype.hasOwnProperty.call(messages.en, key);
}

// Falls back to English, then to the key itself, so a missing entry is visible but harmless.
export function translate(lang, key, params) {
  const dictionary = messages[lang] || messages.en;
  let text = dictionary[key] ?? messages.en[key] ?? key;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name) =>
      Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole);
  }
  return text;
}
