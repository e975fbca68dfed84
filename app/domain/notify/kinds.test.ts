import { expect, test } from 'vitest'
import { notificationChannelEnum, notificationTypeEnum } from '#db/schema/notify.ts'
import { kindRules, notificationChannels, notificationKinds } from './kinds.ts'

test('the plain list of kinds and channels is the database enums, and every kind has its rules', () => {
  expect([...notificationKinds]).toEqual([...notificationTypeEnum.enumValues])
  expect([...notificationChannels].sort()).toEqual([...notificationChannelEnum.enumValues].sort())
  for (const kind of notificationKinds) {
    expect(kindRules[kind].allowed).toContain(kindRules[kind].default)
  }
})
