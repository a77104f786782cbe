import { formatClock } from '../../domain/metadata/duration.js'
import type { RecordingTopics, TopicSetView } from '../../services/topics/topics-service.js'

/** `recordings topics`: the active set in full; with --versions one line per version too. */
export function recordingTopicsText(r: RecordingTopics): string[] {
  const a = r.active
  const lines = [
    `Recording ${r.recording.id} "${r.recording.display_name}": topics version ${a.version} (active), ${a.provider} ${a.model}, granularity ${a.granularity}`,
    `Main topic: ${a.main_topic}`,
    `Summary: ${a.summary}`,
    '',
    'Topics:',
    ...a.topics.map((t) => `  ${formatClock(t.start)}  ${t.title}`),
    '',
    a.chapters.length > 0 ? `Chapters (YouTube):\n${a.chapters.map((c) => `  ${c}`).join('\n')}` : 'Chapters: none (YouTube needs at least 3 of 10 s or more)',
  ]
  if (r.versions) {
    lines.push('', 'Versions:', ...r.versions.map(versionLine))
    lines.push('', `Switch with \`recflow recordings topics ${r.recording.id} --activate N\`.`)
  }
  return lines
}

const versionLine = (v: TopicSetView) =>
  `  ${v.active ? '*' : ' '} ${v.version}  ${v.created_at}  ${v.topics.length} topics  ${v.model}  ${v.main_topic}`
