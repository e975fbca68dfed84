import { recordActivity } from '#app/domain/activity/ledger.server.ts'
import { insertEvent, insertRegistration } from '#app/server/seed/factories/events.ts'
import type { Db } from '#db/client.server.ts'
import { eventHosts, eventSurveys } from '#db/schema/events.ts'

type Person = { id: number; accountId: number | null }
const DAY = 86_400_000
const HOUR = 3_600_000

/** The next `hour`:00 in Tokyo, `days` from now, as an instant. */
function tokyo(days: number, hour: number): Date {
  const date = new Date(Date.now() + days * DAY)
  date.setUTCHours(hour - 9, 0, 0, 0)
  return date
}

/** Upcoming, past and cancelled demo events in both languages, with registrations, a waitlist, marked
 *  attendance and survey answers, and the ledger rows those would have written. */
export async function seedDemoEvents(db: Db, { staff, members }: { staff: Person; members: Person[] }): Promise<void> {
  const host = async (event: { id: number }) => db.insert(eventHosts).values({ eventId: event.id, userId: staff.id })

  const webinar = await insertEvent(db, {
    kind: 'webinar',
    title: 'What is new in reporting: December release walkthrough',
    bodyMd:
      'A 45-minute tour of the new **report builder**, scheduled exports and the CSV improvements, with live Q&A.',
    startsAt: tokyo(3, 16),
    endsAt: new Date(tokyo(3, 16).getTime() + 45 * 60_000),
    timeZone: 'Asia/Tokyo',
    createdById: staff.id,
    // The first-steps checklist sends new members to it (docs/decisions/039).
    onboarding: true,
  })
  await host(webinar)
  const workshop = await insertEvent(db, {
    kind: 'workshop',
    locale: 'ja',
    title: 'SSO 設定ハンズオン（SAML / Azure AD）',
    bodyMd:
      '少人数で SAML シングルサインオンを一緒に設定します。管理者権限のあるアカウントでご参加ください。持ち物: ノート PC（ID プロバイダーの管理画面にログインできるもの）。',
    startsAt: tokyo(10, 14),
    endsAt: tokyo(10, 16),
    timeZone: 'Asia/Tokyo',
    capacity: 3,
    onlineUrl: null,
    venue: '東京オフィス 8F セミナールーム',
    createdById: staff.id,
  })
  await host(workshop)
  const officeHours = await insertEvent(db, {
    kind: 'office_hours',
    title: 'API office hours for high-touch customers',
    bodyMd: 'Bring your integration questions: rate limits, webhooks, pagination.',
    startsAt: new Date(Date.now() + 6 * DAY),
    endsAt: new Date(Date.now() + 6 * DAY + HOUR),
    timeZone: 'America/Los_Angeles',
    audience: 'restricted',
    audienceTiers: ['high'],
    createdById: staff.id,
  })
  await host(officeHours)
  const past = await insertEvent(db, {
    kind: 'training',
    title: 'Admin training: users, roles and permissions',
    bodyMd: 'Everything an administrator needs in the first month.',
    startsAt: new Date(Date.now() - 14 * DAY),
    endsAt: new Date(Date.now() - 14 * DAY + 90 * 60_000),
    timeZone: 'Asia/Tokyo',
    capacity: 30,
    recordingUrl: 'https://video.example/admin-training',
    createdById: staff.id,
  })
  await host(past)
  await insertEvent(db, {
    kind: 'meetup',
    title: 'Customer meetup in Osaka',
    bodyMd: 'Postponed to next year.',
    startsAt: new Date(Date.now() + 20 * DAY),
    onlineUrl: null,
    venue: 'Osaka',
    status: 'cancelled',
    cancelledAt: new Date(),
    createdById: staff.id,
  })

  // The workshop is full with one member waiting; the webinar has a few registrations.
  for (const [index, member] of members.entries()) {
    if (index < 4) {
      const registration = await insertRegistration(db, workshop, member, index < 3 ? {} : { status: 'waitlisted' })
      if (registration.status === 'registered')
        await recordActivity(db, {
          type: 'event_registered',
          user: member,
          subject: { type: 'event', id: workshop.id },
        })
    }
    if (index % 2 === 0) {
      await insertRegistration(db, webinar, member)
      await recordActivity(db, { type: 'event_registered', user: member, subject: { type: 'event', id: webinar.id } })
    }
  }

  // The past training: most attended, one did not, and the attendees answered the survey.
  const surveys: [number, number, string | null][] = [
    [5, 10, 'Exactly what our new admins needed.'],
    [4, 9, null],
    [4, 7, 'A bit fast in the permissions part.'],
    [3, 5, 'もう少し実例が欲しかったです。'],
  ]
  for (const [index, member] of members.entries()) {
    const attended = index < surveys.length
    const at = new Date(past.startsAt.getTime() - 2 * DAY)
    await insertRegistration(db, past, member, {
      status: attended ? 'attended' : 'no_show',
      registeredAt: at,
      attendanceMarkedAt: past.endsAt,
      surveySentAt: attended ? past.endsAt : null,
    })
    await recordActivity(db, {
      type: 'event_registered',
      user: member,
      subject: { type: 'event', id: past.id },
      occurredAt: at,
    })
    if (!attended) continue
    await recordActivity(db, {
      type: 'event_attended',
      user: member,
      subject: { type: 'event', id: past.id },
      occurredAt: past.endsAt,
    })
    const [rating, nps, comment] = surveys[index]!
    await db.insert(eventSurveys).values({
      eventId: past.id,
      userId: member.id,
      rating,
      nps,
      comment,
      createdAt: new Date(past.endsAt.getTime() + DAY),
    })
    await recordActivity(db, {
      type: 'survey_answered',
      user: member,
      subject: { type: 'event', id: past.id },
      occurredAt: new Date(past.endsAt.getTime() + DAY),
    })
  }
}
