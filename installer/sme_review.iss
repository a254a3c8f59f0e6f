; Inno Setup 6 script: installs the PyInstaller bundle of 示范平台认定评审系统 for the current
; user, without administrator rights. Build the bundle first (installer/README.md), then:
;
;   ISCC.exe installer\sme_review.iss
;
; which writes dist\installer\示范平台认定评审系统-<version>-安装程序.exe.
; The version comes from the bundled sme-review.exe, whose version information PyInstaller took
; from sme_review_desktop.__version__; override it with ISCC /DAppVersion=1.2.3.
;
; THE DATA FOLDER IS NEVER TOUCHED. The app keeps the reviewer's store, evidence, settings and
; backups in %LOCALAPPDATA%\sme-review-desktop (platformdirs.user_data_dir("sme-review-desktop",
; appauthor=False), see sme_review_desktop/store/paths.py), which is NOT under {app}. This script
; neither installs into nor deletes from it: no [UninstallDelete] or [InstallDelete] entry may
; name it, on uninstall or on upgrade. Removing the program leaves every review record in place.

#define AppName "示范平台认定评审系统"
#define AppExeName "sme-review-gui.exe"
#define BundleDir AddBackslash(SourcePath) + "..\dist\sme-review"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BundleDir + "\sme-review.exe", "ProductVersion")
#endif
#if AppVersion == ""
  #error "No version: build the bundle first (pyinstaller installer/sme_review.spec) or pass /DAppVersion=x.y.z"
#endif

[Setup]
; Never change AppId: upgrades find the installed copy by it.
AppId={{6F1D7C52-3B8E-4C1A-9D2B-5E7A0C4B8F31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=sme-review-desktop
; Per user, no UAC prompt: %LOCALAPPDATA%\Programs\示范平台认定评审系统
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
OutputDir=..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-安装程序
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName} {#AppVersion}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; An upgrade closes a running copy first so its files can be replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
; ChineseSimplified.isl is not shipped with Inno Setup: it is an unofficial translation from
; https://jrsoftware.org/files/istrans/ (ChineseSimplified), to be saved as
; "Languages\ChineseSimplified.isl" in the Inno Setup folder. Without it, comment this line out
; and uncomment the English one: setup's own pages are then in English, while the shortcuts,
; the uninstall entry and the program itself stay Chinese.
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
; Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the program folder's library tree wholesale, so no stale module of an old
; version is ever loaded. {app}\_internal only: the data folder is elsewhere and never named.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Comment: "中小企业公共服务示范平台认定评审"
Name: "{autoprograms}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExeName}"; Parameters: "--demo"; WorkingDir: "{app}"; Comment: "打开演示数据集"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section, on purpose: the uninstaller removes exactly what it installed
; in {app} and the shortcuts; %LOCALAPPDATA%\sme-review-desktop (the reviewer's data) stays.
