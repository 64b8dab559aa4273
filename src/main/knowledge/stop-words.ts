/**
 * Words that say nothing about what a query is looking for. A question
 * ("How do we run backups and restore them?") is mostly these, and in a
 * small knowledge base each of them matches some unrelated note: the
 * pancake recipe matched "and" and was cited as a source. English and
 * Russian function words (pronouns, articles, prepositions, conjunctions,
 * auxiliaries, question words), lower case; content words such as numbers,
 * "good" or "two" are deliberately left out.
 */
const ENGLISH = `a about above after again against all am an and any are as at be because been before being below between
both but by can could did do does doing down during each few for from further had has have having he her here hers herself
him himself his how i if in into is it its itself just me might more most must my myself no nor not of off on once only or
other our ours ourselves out over own same shall she should so some such than that the their theirs them themselves then
there these they this those through to too under until up us very was we were what when where which while who whom why
will with would you your yours yourself yourselves`

const RUSSIAN = `а без более бы был была были было быть в вам вас ведь во вот все всё всех всю вы где да даже для до его ее её
ей ему если есть еще ещё же за здесь и из или им их к как какая какой когда кто ли либо между меня мне мной мы на над надо
нас не него нее неё нет ни ним них но ну о об один она они оно от очень перед по под после потом при про с сам свой себе
себя со так также там тем то тоже только том тот ту тут у уж уже чем через что чтобы эта эти это этой этом этот эту я`

const STOP_WORDS: ReadonlySet<string> = new Set(`${ENGLISH} ${RUSSIAN}`.split(/\s+/))

/** True for a lower-case word that carries no topic. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word)
}
